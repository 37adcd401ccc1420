using System.Globalization;

namespace SshTunnel.Benchmarks.OperatorHost;

/// <summary>One scrape of the operator's Prometheus <c>/metrics</c>: series (name with labels) to value.</summary>
internal sealed class MetricsSnapshot(IReadOnlyDictionary<string, double> series)
{
    public static MetricsSnapshot Empty { get; } = new(new Dictionary<string, double>());

    public static MetricsSnapshot Parse(string text)
    {
        var parsed = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var space = line.LastIndexOf(' ');
            if (space > 0 && double.TryParse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                parsed[line[..space]] = value;
            }
        }

        return new MetricsSnapshot(parsed);
    }

    /// <summary>The value of one series (e.g. <c>sshtunnel_api_writes_total{object="secret"}</c>), 0 when absent.</summary>
    public double Value(string name) => series.GetValueOrDefault(name);

    /// <summary>The sum over every series of a metric, whatever its labels.</summary>
    public double Sum(string metric) =>
        series.Where(pair => pair.Key == metric || pair.Key.StartsWith(metric + "{", StringComparison.Ordinal)).Sum(pair => pair.Value);
}
