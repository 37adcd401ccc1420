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

    /// <summary>The request hangs until the client gives up, or, with a delay, 504 Timeout after it.</summary>
    /// <param name="RespondAfter">Null to hang until the client disconnects.</param>
    public sealed record Timeout(TimeSpan? RespondAfter = null) : EmulatorFault;

    /// <summary>409 Conflict with the optimistic-concurrency message of the real server.</summary>
    public sealed record Conflict : EmulatorFault;
}
