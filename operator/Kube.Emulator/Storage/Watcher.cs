using System.Threading.Channels;

namespace Kube.Emulator.Storage;

/// <summary>One open watch on one resource type; events reach it through an unbounded channel so writers never wait on I/O.</summary>
internal sealed class Watcher(string? namespaceFilter, bool wantsBookmarks)
{
    private readonly Channel<WatchEvent> events = Channel.CreateUnbounded<WatchEvent>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false, AllowSynchronousContinuations = false });

    public string? NamespaceFilter { get; } = namespaceFilter;

    public bool WantsBookmarks { get; } = wantsBookmarks;

    public ChannelReader<WatchEvent> Events => events.Reader;

    public bool Accepts(StoredObject obj) => NamespaceFilter is null || obj.Namespace == NamespaceFilter;

    public void Offer(WatchEvent watchEvent) => events.Writer.TryWrite(watchEvent);

    public void Close() => events.Writer.TryComplete();
}
