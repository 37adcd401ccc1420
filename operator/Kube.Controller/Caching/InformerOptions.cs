using Kube.Controller.Backoff;

namespace Kube.Controller.Caching;

/// <summary>How an informer scopes, watches and resyncs.</summary>
public sealed record InformerOptions
{
    /// <summary>The namespaces to watch; empty means all namespaces.</summary>
    public IReadOnlyList<string> Namespaces { get; init; } = [];

    /// <summary>How often every cached object is handed out again; zero disables resync.</summary>
    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The server-side bound of one watch request; the watch resumes after it.</summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The wait after failed lists or watches: 100 ms, doubling up to 30 s.</summary>
    public ExponentialBackoff RetryBackoff { get; init; } = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30));
}
