using System.Globalization;
using System.Text.Json;
using SshTunnel.Core.Model;
using SshTunnel.Core.PortForwards;
using SshTunnel.Core.Tests.PortForwards;
using SshTunnel.Testing.Repository;

namespace SshTunnel.Core.Tests.Crd;

/// <summary>The SshPortForward model and crds/sshportforwards.yaml agree: names, every spec and status field, defaults, and what the operator publishes is valid.</summary>
public sealed class PortForwardCrdAgreementTests
{
    private readonly CrdDocument crd = CrdDocument.Load(RepositoryPaths.PortForwardCrdFile);

    [Fact]
    public void Names_the_API_as_the_model_does()
    {
        Assert.Equal($"{PortForwardNames.Plural}.{ResourceNames.Group}", CrdDocument.Text(crd.Root, "metadata", "name"));
        Assert.Equal(ResourceNames.Group, CrdDocument.Text(crd.Root, "spec", "group"));
        Assert.Equal(PortForwardNames.Kind, CrdDocument.Text(crd.Root, "spec", "names", "kind"));
        Assert.Equal(PortForwardNames.Plural, CrdDocument.Text(crd.Root, "spec", "names", "plural"));
        Assert.Equal(ResourceNames.Version, CrdDocument.Text(crd.Version, "name"));
        Assert.Equal(".status.selector", CrdDocument.Text(crd.Version, "subresources", "scale", "labelSelectorPath"));
    }

    [Fact]
    public void Spec_schema_has_exactly_the_model_properties_types_and_defaults()
    {
        var spec = CrdDocument.Map(crd.Schema, "properties", "spec");
        ModelShape.AssertSameShape(typeof(PortForwardSpec), spec, "spec");
        Assert.Equal(
            PortForwardSpec.DefaultReplicas.ToString(CultureInfo.InvariantCulture),
            CrdDocument.Text(CrdDocument.Properties(spec)!, "replicas", "default"));
        Assert.Equal(PortForwardSpec.DefaultReplicas, new PortForwardSpec().Replicas);
    }

    [Fact]
    public void Status_schema_has_exactly_the_model_properties_and_types()
    {
        ModelShape.AssertSameShape(typeof(PortForwardStatus), CrdDocument.Map(crd.Schema, "properties", "status"), "status");
    }

    [Fact]
    public void Every_published_status_and_every_spec_field_is_accepted_by_the_schema()
    {
        var spec = PortForwardWorld.FullSpec();
        SchemaText.AssertValid(SchemaText.Of(RepositoryPaths.PortForwardCrdFile, "spec"), JsonSerializer.SerializeToElement(spec));

        var statusSchema = SchemaText.Of(RepositoryPaths.PortForwardCrdFile, "status");
        var world = new PortForwardWorld(spec);
        foreach (var step in world.Walkthrough())
        {
            SchemaText.AssertValid(statusSchema, JsonSerializer.SerializeToElement(step), step.ToString());
        }
    }

    [Fact]
    public void Spec_quantities_written_as_numbers_are_read_as_text()
    {
        var spec = JsonSerializer.Deserialize<PortForwardSpec>("""{"connectionName": "c", "resources": {"limits": {"cpu": 1, "memory": "128Mi"}}}""")!;

        Assert.Equal("1", spec.Resources!.Limits!["cpu"]);
        Assert.Equal("128Mi", spec.Resources.Limits["memory"]);
        Assert.Equal(PortForwardSpec.DefaultReplicas, spec.Replicas);
    }
}
