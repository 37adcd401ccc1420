using System.Text.Json.Nodes;
using Kube.Emulator.Objects;
using SshTunnel.Chart.Tests.Infrastructure;
using SshTunnel.Testing.Repository;

namespace SshTunnel.Chart.Tests.Templates;

/// <summary>
/// The CRDs are rendered from templates so that upgrades reach them; the chart keeps a copy of
/// each crds/*.yaml because a chart cannot read files outside its folder.
/// </summary>
public sealed class CrdTemplateTests
{
    private const string CrdName = "sshtunnelconnections.sshtunnels.io";

    public static TheoryData<string> CrdFiles => [.. FileNames(RepositoryPaths.Crds)];

    [Fact]
    public void The_chart_copies_exactly_the_CRDs_of_crds()
    {
        Assert.Equal(FileNames(RepositoryPaths.Crds), FileNames(Path.Combine(RepositoryPaths.Chart, "files")));
    }

    [Theory]
    [MemberData(nameof(CrdFiles))]
    public void The_charts_copy_of_the_CRD_is_byte_identical_to_crds(string file)
    {
        var original = File.ReadAllBytes(Path.Combine(RepositoryPaths.Crds, file));
        var copy = File.ReadAllBytes(Path.Combine(RepositoryPaths.Chart, "files", file));

        Assert.True(
            original.AsSpan().SequenceEqual(copy),
            $"charts/ssh-tunnel-operator/files/{file} differs from crds/{file}: copy it again");
    }

    [Theory]
    [MemberData(nameof(CrdFiles))]
    public async Task The_rendered_CRD_has_the_same_spec_as_the_file_and_is_kept_on_uninstall(string file)
    {
        var chart = await HelmTemplate.RenderAsync(ChartValues.ReleaseNamespace);
        var original = YamlJson.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Crds, file)))!.AsObject();

        var rendered = chart.Single("CustomResourceDefinition", (string)original["metadata"]!["name"]!);

        Assert.True(
            JsonNode.DeepEquals(original["spec"], rendered["spec"]),
            "rendered spec differs:\n" + rendered["spec"]!.ToJsonString());
        Assert.Equal("apiextensions.k8s.io/v1", (string?)rendered["apiVersion"]);
        Assert.Null(RenderedChart.NamespaceOf(rendered));
        Assert.Equal("keep", (string?)rendered["metadata"]?["annotations"]?["helm.sh/resource-policy"]);
        Assert.Equal("tunnels", (string?)rendered["metadata"]?["labels"]?["app.kubernetes.io/instance"]);
    }

    private static List<string> FileNames(string folder) =>
        [.. Directory.GetFiles(folder, "*.yaml").Select(file => Path.GetFileName(file)).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Without_keep_the_CRD_goes_with_the_release_and_extra_annotations_are_added()
    {
        var chart = await HelmTemplate.RenderAsync(ChartValues.ReleaseNamespace, "crds.keep=false", "crds.annotations.example\\.com/owner=platform");

        var annotations = chart.Single("CustomResourceDefinition", CrdName)["metadata"]!["annotations"]!.AsObject();

        Assert.Equal(["example.com/owner"], annotations.Select(annotation => annotation.Key));
        Assert.Equal("platform", (string?)annotations["example.com/owner"]);
    }

    [Fact]
    public async Task The_CRD_can_be_left_out()
    {
        var chart = await HelmTemplate.RenderAsync(ChartValues.ReleaseNamespace, "crds.install=false");

        Assert.Empty(chart.OfKind("CustomResourceDefinition"));
        Assert.Single(chart.OfKind("Deployment"));
    }
}
