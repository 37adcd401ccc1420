namespace SshTunnel.Benchmarks.Floor;

/// <summary>One phase of the floor: its wall time, and the CPU-s this process (the bare client and the emulator) used in it.</summary>
internal sealed record FloorPhase(TimeSpan Elapsed, double CpuSeconds);
