namespace SshTunnel.Core.PortForwards;

/// <summary>An <c>SshPortForward</c> as Core decides on it: identity, generation, spec and the published status.</summary>
public sealed record PortForwardResource(string Namespace, string Name, string Uid, long Generation, PortForwardSpec Spec, PortForwardStatus? Status);
