using Kube.Controller.Queue;

namespace SshTunnel.Operator.Observability;

/// <summary>A work queue as the scrape-time metrics read it.</summary>
/// <param name="Depth">Keys waiting (not delayed, not in flight).</param>
/// <param name="Unfinished">The sum of the time so far of the keys being reconciled.</param>
/// <param name="Longest">The time so far of the longest of them.</param>
public readonly record struct QueueState(int Depth, TimeSpan Unfinished, TimeSpan Longest)
{
    public static QueueState Of<TKey>(WorkQueue<TKey> queue) where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(queue);
        var (unfinished, longest) = queue.InFlight();
        return new QueueState(queue.Count, unfinished, longest);
    }
}
