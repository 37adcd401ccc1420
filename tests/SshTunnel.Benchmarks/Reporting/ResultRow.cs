namespace SshTunnel.Benchmarks.Reporting;

/// <summary>One figure of the report: what was measured, the goal, and whether it was met (null: no goal).</summary>
internal sealed record ResultRow(string Figure, string Measured, string Goal, bool? Met);
