using System.Globalization;

namespace SshTunnel.Testing.OperatorHost;

/// <summary>One scrape of a Prometheus text endpoint, parsed into families and samples.</summary>
public sealed class PrometheusScrape
{
    private readonly Dictionary<string, double> samples = [];
    private readonly Dictionary<string, string> types = [];

    private PrometheusScrape(string text)
    {
        Text = text;
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                types[parts[2]] = parts[3];
            }
            else if (!line.StartsWith('#'))
            {
                var split = line.LastIndexOf(' ');
                samples[line[..split]] = double.Parse(line[(split + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture);
            }
        }
    }

    /// <summary>A scrape of nothing: what a process that does not answer exports.</summary>
    public static PrometheusScrape Empty { get; } = new(string.Empty);

    public string Text { get; }

    public static PrometheusScrape Parse(string text) => new(text);

    public static async Task<PrometheusScrape> FetchAsync(HttpClient http, int port, CancellationToken cancellationToken = default) =>
        new(await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"), cancellationToken).ConfigureAwait(false));

    /// <summary>The family's declared type (counter, gauge, histogram), or null when it is not exported.</summary>
    public string? TypeOf(string family) => types.GetValueOrDefault(family);

    /// <summary>
    /// The sample with exactly this name and these labels (in any order), or null. Labels are
    /// given as <c>name=value</c>.
    /// </summary>
    public double? Value(string name, params string[] labels)
    {
        var wanted = Rendered(labels);
        var matches = Series(name).Where(series => series.Labels.Count == wanted.Count && series.Labels.SetEquals(wanted)).ToList();
        return matches.Count == 0 ? null : matches[0].Value;
    }

    /// <summary>
    /// The sum over every series of a family that carries at least these labels (given as
    /// <c>name=value</c>; none: every series), whatever its other labels; 0 when none is exported.
    /// </summary>
    public double Sum(string name, params string[] labels)
    {
        var wanted = Rendered(labels);
        return Series(name).Where(series => series.Labels.IsSupersetOf(wanted)).Sum(series => series.Value);
    }

    private static HashSet<string> Rendered(string[] labels) =>
        [.. labels.Select(label => label.Split('=', 2)).Select(pair => $"{pair[0]}=\"{pair[1]}\"")];

    private IEnumerable<(HashSet<string> Labels, double Value)> Series(string name)
    {
        foreach (var (series, value) in samples)
        {
            var brace = series.IndexOf('{', StringComparison.Ordinal);
            if ((brace < 0 ? series : series[..brace]) == name)
            {
                yield return (brace < 0 ? [] : [.. series[(brace + 1)..^1].Split(',', StringSplitOptions.RemoveEmptyEntries)], value);
            }
        }
    }
}
