namespace SshTunnel.Benchmarks.Backlog;

/// <summary>The two backlogs: connections created while no operator ran, and rotations asked for while none ran.</summary>
internal sealed record BacklogResult(int Connections, BacklogPhase Provision, BacklogPhase Rotate);
