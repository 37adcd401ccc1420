using System.Text.Json.Nodes;
using Kube.Emulator.Objects;
using SshTunnel.Chart.Tests.Infrastructure;

namespace SshTunnel.Chart.Tests.Templates;

/// <summary>Every document helm renders is a whole object, labelled for the release, in the right namespace.</summary>
public sealed class ManifestShapeTests
{
    private static readonly HashSet<string> ClusterScoped = ["CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding"];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Every_document_is_a_labelled_object_in_the_release_or_a_watched_namespace(bool namespaced)
    {
        var text = await HelmTemplate.TextAsync(ChartValues.ReleaseNamespace, namespaced ? ChartValues.Namespaced : []);

        var documents = YamlJson.ParseDocuments(text);
        string?[] allowedNamespaces = namespaced ? [ChartValues.ReleaseNamespace, "team-a", "team-b"] : [ChartValues.ReleaseNamespace];

        Assert.NotEmpty(documents);
        Assert.All(documents, document =>
        {
            var item = Assert.IsType<JsonObject>(document);
            var kind = (string?)item["kind"];
            Assert.False(string.IsNullOrEmpty((string?)item["apiVersion"]));
            Assert.False(string.IsNullOrEmpty(RenderedChart.NameOf(item)), kind + " without a name");
            Assert.Equal("tunnels", (string?)item["metadata"]?["labels"]?["app.kubernetes.io/instance"]);
            if (ClusterScoped.Contains(kind!))
            {
                Assert.Null(RenderedChart.NamespaceOf(item));
            }
            else
            {
                Assert.Contains(RenderedChart.NamespaceOf(item), allowedNamespaces);
            }
        });
    }
}
