namespace SshTunnel.Core.Validation;

/// <summary>The result of logging in with one key: the outcome and the bastion's own words.</summary>
public sealed record KeyProbe(ProbeOutcome Outcome, string Message)
{
    public bool Authenticated => Outcome == ProbeOutcome.Authenticated;
}
