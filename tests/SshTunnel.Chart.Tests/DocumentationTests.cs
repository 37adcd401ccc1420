using System.Text.Json.Nodes;
using Kube.Emulator.Objects;
using SshTunnel.Testing.Repository;

namespace SshTunnel.Chart.Tests;

/// <summary>The chart README's values table names every value in values.yaml.</summary>
public sealed class DocumentationTests
{
    /// <summary>Values passed to Kubernetes as they are: documented as one entry.</summary>
    private static readonly HashSet<string> WholeObjects =
        [
            "strategy", "resources", "podSecurityContext", "securityContext", "livenessProbe", "readinessProbe",
            "networkPolicy.dns.namespaceSelector", "networkPolicy.dns.podSelector",
        ];

    [Fact]
    public void Every_value_is_in_the_readme()
    {
        var values = YamlJson.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Chart, "values.yaml")))!.AsObject();
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Chart, "README.md"));

        var keys = Keys(values, prefix: string.Empty).ToList();

        Assert.Contains("operator.workers", keys);
        Assert.All(keys, key => Assert.Contains("`" + key + "`", readme, StringComparison.Ordinal));
    }

    private static IEnumerable<string> Keys(JsonObject values, string prefix)
    {
        foreach (var (name, value) in values)
        {
            var key = prefix + name;
            if (value is JsonObject { Count: > 0 } nested && !WholeObjects.Contains(key))
            {
                foreach (var inner in Keys(nested, key + "."))
                {
                    yield return inner;
                }
            }
            else
            {
                yield return key;
            }
        }
    }
}
