using System.Text.RegularExpressions;
using SshTunnel.Testing.Kubernetes;
using SshTunnel.Testing.Processes;
using SshTunnel.Testing.Repository;

namespace Kube.Emulator.Tests.Hosting;

/// <summary>
/// kubectl against the emulator serving the project's CRD. <c>kubectl explain</c> reads /openapi/v3 (the index, then
/// the group-version document it names) by default, and /openapi/v2 in protobuf with plaintext-openapiv2; with
/// /openapi/v3 served, kubectl applies a connection with merge patch and server-side field validation, and an
/// invalid field gets one message.
/// </summary>
public sealed partial class ProjectCrdKubectlTests : IAsyncLifetime
{
    private readonly EmulatorFixture fixture = new() { CrdDirectory = RepositoryPaths.Crds };

    public Task InitializeAsync() => fixture.InitializeAsync();

    public Task DisposeAsync() => fixture.DisposeAsync();

    [Fact]
    public async Task Explains_a_field_with_its_type_and_the_crds_description()
    {
        var explained = (await Kubectl("explain", "sshtunnelconnection.spec.port")).Succeeded();

        Assert.Contains("GROUP:      sshtunnels.io", explained.Output, StringComparison.Ordinal);
        Assert.Contains("KIND:       SshTunnelConnection", explained.Output, StringComparison.Ordinal);
        Assert.Contains("VERSION:    v1alpha1", explained.Output, StringComparison.Ordinal);
        Assert.Contains("FIELD: port <integer>", explained.Output, StringComparison.Ordinal);
        Assert.Contains("The bastion's SSH port, 1 to 65535. Removing the field restores the default, 22.", Unwrapped(explained.Output), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explains_the_spec_with_every_field_its_type_and_whether_it_is_required()
    {
        var explained = (await Kubectl("explain", "stc.spec")).Succeeded();

        Assert.Contains("The bastion to log in to. All changes of one generation take effect together.", Unwrapped(explained.Output), StringComparison.Ordinal);
        Assert.Matches(@"host\s+<string> -required-", explained.Output);
        Assert.Matches(@"user\s+<string> -required-", explained.Output);
        Assert.Matches(@"port\s+<integer>", explained.Output);
        Assert.Matches(@"validate\s+<boolean>", explained.Output);
        Assert.Matches(@"hostKey\s+<string>", explained.Output);
        Assert.DoesNotContain("<no description>", explained.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explains_recursively_down_to_the_conditions_and_into_the_object_metadata()
    {
        var recursive = (await Kubectl("explain", "sshtunnelconnection", "--recursive")).Succeeded();
        var metadataName = (await Kubectl("explain", "sshtunnelconnection.metadata.name")).Succeeded();

        Assert.Matches(@"metadata\s+<ObjectMeta>", recursive.Output);
        Assert.Matches(@"\n\s+connection\s+<Object>", recursive.Output);
        Assert.Matches(@"\n\s+conditions\s+<\[\]Object>", recursive.Output);
        Assert.Matches(@"\n\s+lastTransitionTime\s+<string> -required-", recursive.Output);
        Assert.Contains("FIELD: name <string>", metadataName.Output, StringComparison.Ordinal);
        Assert.Contains("Name must be unique within a namespace.", Unwrapped(metadataName.Output), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explains_from_the_openapi_v2_definitions_too()
    {
        var explained = (await Kubectl("explain", "sshtunnelconnection.spec.port", "--output", "plaintext-openapiv2")).Succeeded();

        Assert.Contains("FIELD:    port <integer>", explained.Output, StringComparison.Ordinal);
        Assert.Contains("The bastion's SSH port, 1 to 65535. Removing the field restores the default, 22.", Unwrapped(explained.Output), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_of_a_connection_still_takes_the_merge_patch_path_and_server_side_validation()
    {
        var ns = await fixture.NewNamespaceAsync();
        var manifest = Path.Combine(fixture.WorkDirectory, "connection.yaml");
        await File.WriteAllTextAsync(manifest, "apiVersion: sshtunnels.io/v1alpha1\nkind: SshTunnelConnection\nmetadata:\n  name: c1\nspec:\n  host: bastion.example.com\n  user: mz\n");

        (await Kubectl("apply", "-n", ns, "-f", manifest)).Succeeded();
        await File.WriteAllTextAsync(manifest, "apiVersion: sshtunnels.io/v1alpha1\nkind: SshTunnelConnection\nmetadata:\n  name: c1\nspec:\n  host: bastion.example.com\n  user: mz\n  port: 2222\n");
        var updated = (await Kubectl("apply", "-n", ns, "-f", manifest)).Succeeded();
        await File.WriteAllTextAsync(manifest, "apiVersion: sshtunnels.io/v1alpha1\nkind: SshTunnelConnection\nmetadata:\n  name: c1\nspec:\n  host: bastion.example.com\n  user: mz\n  port: 70000\n  colour: red\n");
        var refused = (await Kubectl("apply", "-n", ns, "-f", manifest)).Failed();

        Assert.Contains("sshtunnelconnection.sshtunnels.io/c1 configured", updated.Output, StringComparison.Ordinal);
        Assert.Contains("unknown field \"spec.colour\"", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_port_is_refused_with_one_message_naming_the_bounds()
    {
        var ns = await fixture.NewNamespaceAsync();
        var manifest = Path.Combine(fixture.WorkDirectory, "port.yaml");
        await File.WriteAllTextAsync(manifest, "apiVersion: sshtunnels.io/v1alpha1\nkind: SshTunnelConnection\nmetadata:\n  name: p\nspec:\n  host: bastion.example.com\n  user: mz\n  port: 0\n");

        var refused = (await Kubectl("apply", "-n", ns, "-f", manifest)).Failed();

        Assert.Contains("The SshTunnelConnection \"p\" is invalid: spec.port: Invalid value: 0: spec.port in body should be greater than or equal to 1", refused.Error, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(refused.Error, "spec\\.port:"));
    }

    private Task<ProcessResult> Kubectl(params string[] arguments) => new Kubectl(fixture.KubeconfigPath, fixture.WorkDirectory).TryRunAsync(arguments);

    private static string Unwrapped(string output) => Whitespace().Replace(output, " ");

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
