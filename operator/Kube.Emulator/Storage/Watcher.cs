using System.Threading.Channels;

namespace Kube.Emulator.Storage;

/// <summary>One open watch on one resource type; events reach it through an unbounded channel so writers never wait on I/O.</summary>
internal sealed class Watcher(string? namespaceFilter, bool wantsBookmarks)
{
    /// <summary>Events queued for a client that stopped reading before the watch is closed, as the real server drops unresponsive watchers.</summary>
    private const int Backlog = 100_000;

    private readonly Channel<WatchEvent> events = Channel.CreateUnbounded<WatchEvent>(
        new UnboundedChannelOptions { SingleReader = false, SingleWriter = false, AllowSynchronousContinuations = false });

    public string? NamespaceFilter { get; } = namespaceFilter;

    public bool WantsBookmarks { get; } = wantsBookmarks;

    public ChannelReader<WatchEvent> Events => events.Reader;

    public bool Accepts(StoredObject obj) => NamespaceFilter is null || obj.Namespace == NamespaceFilter;

    public void Offer(WatchEvent watchEvent)
    {
        if (events.Reader.Count >= Backlog)
        {
            Close();
            return;
        }

        events.Writer.TryWrite(watchEvent);
    }

    public void Close() => events.Writer.TryComplete();
}
