namespace SshTunnel.Benchmarks.OperatorHost;

/// <summary>
/// When the operator became ready (/readyz 200) and when its health port first answered, both from
/// process start, and the longest gap between two of the harness's polls.
/// </summary>
internal sealed record ReadyTiming(TimeSpan Ready, TimeSpan FirstAnswer, TimeSpan LongestPollGap);
