using System.Runtime.CompilerServices;
using k8s;
using Kube.Controller.Sources;

namespace Kube.Controller.Tests.Support;

/// <summary>
/// Passes calls through to a real source, counting LISTs and WATCHes, and can hold the next
/// watch back until released, so a test can change the server while no watch is open.
/// </summary>
public sealed class CountingSource<T>(IResourceSource<T> inner) : IResourceSource<T>
    where T : class
{
    private TaskCompletionSource? gate;
    private long lastBookmark;
    private int lists;
    private int watches;

    public int Lists => Volatile.Read(ref lists);

    public int Watches => Volatile.Read(ref watches);

    /// <summary>The resourceVersion of the latest bookmark seen; 0 before any.</summary>
    public long LastBookmark => Interlocked.Read(ref lastBookmark);

    /// <summary>The resourceVersions watches were started from, in order.</summary>
    public List<string> WatchedFrom { get; } = [];

    public void HoldWatches() => Volatile.Write(ref gate, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public void ReleaseWatches() => Interlocked.Exchange(ref gate, null)?.TrySetResult();

    public Task<string> ListAsync(string? @namespace, Action<ResourcePage<T>> onPage, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref lists);
        return inner.ListAsync(@namespace, onPage, cancellationToken);
    }

    public async IAsyncEnumerable<WatchedEvent<T>> WatchAsync(
        string? @namespace,
        string resourceVersion,
        TimeSpan timeout,
        Func<ObjectKey, string, bool> isHeld,
        Action<Exception> onError,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref gate) is { } held)
        {
            await held.Task.WaitAsync(cancellationToken);
        }

        Interlocked.Increment(ref watches);
        lock (WatchedFrom)
        {
            WatchedFrom.Add(resourceVersion);
        }

        await foreach (var item in inner.WatchAsync(@namespace, resourceVersion, timeout, isHeld, onError, cancellationToken))
        {
            if (item.Type == WatchEventType.Bookmark)
            {
                Interlocked.Exchange(ref lastBookmark, long.Parse(item.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture));
            }

            yield return item;
        }
    }
}
