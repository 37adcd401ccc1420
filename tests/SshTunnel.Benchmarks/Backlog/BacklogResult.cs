namespace SshTunnel.Benchmarks.Backlog;

/// <summary>The two backlogs: connections created while no operator ran, and rotations asked for while none ran.</summary>
internal sealed record BacklogResult(BacklogPhase Provision, BacklogPhase Rotate);
