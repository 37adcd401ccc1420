namespace Kube.Emulator;

/// <summary>A failure the emulator answers a request with instead of serving it.</summary>
public abstract record EmulatorFault
{
    private EmulatorFault()
    {
    }

    /// <summary>500 InternalError, or 503 ServiceUnavailable.</summary>
    /// <param name="StatusCode">500 or 503.</param>
    public sealed record ServerError(int StatusCode = 500) : EmulatorFault;

    /// <summary>429 TooManyRequests with a Retry-After header.</summary>
    /// <param name="RetryAfter">Value of Retry-After (whole seconds, at least 1).</param>
    public sealed record TooManyRequests(TimeSpan RetryAfter) : EmulatorFault;

    /// <summary>
    /// With a delay, 504 Timeout after it (the real server's request timeout is 60 s); without, the request hangs
    /// until the client gives up, or until <see cref="EmulatorControl.ClearFaults"/>, after which it is served.
    /// </summary>
    /// <param name="RespondAfter">Null to hang.</param>
    public sealed record Timeout(TimeSpan? RespondAfter = null) : EmulatorFault;

    /// <summary>409 Conflict with the optimistic-concurrency message of the real server.</summary>
    public sealed record Conflict : EmulatorFault;

    /// <summary>
    /// The reply of a write is lost after the write is stored (and its watch event sent): a 500 InternalError, or
    /// with <paramref name="ResetConnection"/> the connection is dropped without an answer. The real server does
    /// this when etcd commits but the request times out, or a load balancer resets the connection. Only write
    /// requests take it; a write that fails on its own keeps its own answer.
    /// </summary>
    /// <param name="ResetConnection">Drop the connection instead of answering 500.</param>
    public sealed record CommitThenFail(bool ResetConnection = false) : EmulatorFault;
}
