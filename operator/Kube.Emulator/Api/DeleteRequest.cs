namespace Kube.Emulator.Api;

/// <summary>DeleteOptions of a delete: preconditions and propagation policy.</summary>
internal sealed record DeleteRequest(string? PreconditionUid, string? PreconditionResourceVersion, string? PropagationPolicy, bool DryRun)
{
    public static readonly DeleteRequest Background = new(null, null, "Background", false);
}
