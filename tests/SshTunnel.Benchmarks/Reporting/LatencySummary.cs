namespace SshTunnel.Benchmarks.Reporting;

/// <summary>Percentiles of a set of latencies (nearest rank), plus how many never completed.</summary>
internal sealed record LatencySummary(int Count, double P50Ms, double P95Ms, double P99Ms, double MaxMs, int Missed)
{
    public static LatencySummary Of(IReadOnlyCollection<TimeSpan> latencies, int missed)
    {
        var sorted = latencies.Select(latency => latency.TotalMilliseconds).Order().ToArray();
        return sorted.Length == 0
            ? new LatencySummary(0, double.NaN, double.NaN, double.NaN, double.NaN, missed)
            : new LatencySummary(sorted.Length, Rank(sorted, 0.50), Rank(sorted, 0.95), Rank(sorted, 0.99), sorted[^1], missed);
    }

    public override string ToString() =>
        FormattableString.Invariant($"p50 {P50Ms:0.0} ms, p95 {P95Ms:0.0} ms, p99 {P99Ms:0.0} ms, max {MaxMs:0.0} ms (n={Count}{(Missed > 0 ? $", {Missed} missed" : "")})");

    private static double Rank(double[] sorted, double quantile) =>
        sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)];
}
