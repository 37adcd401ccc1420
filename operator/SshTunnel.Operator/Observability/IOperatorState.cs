namespace SshTunnel.Operator.Observability;

/// <summary>What the scrape-time metrics read from the running operator's caches and queue.</summary>
public interface IOperatorState
{
    /// <summary>Keys waiting in the work queue (not delayed, not in flight).</summary>
    int QueueDepth { get; }

    /// <summary>The status of each cached connection's Ready condition; null when it has none yet.</summary>
    IEnumerable<string?> ReadyStatuses();

    /// <summary>The work queue's keys being reconciled: the sum of their time so far and the longest.</summary>
    (TimeSpan Unfinished, TimeSpan Longest) InFlight();

    /// <summary>When each connection's key pairs were last generated or rotated.</summary>
    IEnumerable<DateTimeOffset> KeyTimes();
}
