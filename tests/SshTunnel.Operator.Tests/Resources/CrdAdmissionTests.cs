using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using SshTunnel.Core.Model;
using SshTunnel.Testing.Kubernetes;

namespace SshTunnel.Operator.Tests.Resources;

/// <summary>
/// The CRD in crds/ as the API server applies it: what a user's manifest gets back before the
/// operator ever sees it.
/// </summary>
public sealed class CrdAdmissionTests : IAsyncLifetime
{
    private EmulatedCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await EmulatedCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Theory]
    [InlineData("""{"host":"bastion.example.com","port":70000,"user":"materialize"}""", "spec.port")]
    [InlineData("""{"host":"bastion.example.com","port":0,"user":"materialize"}""", "spec.port")]
    [InlineData("""{"host":"bastion example.com","user":"materialize"}""", "spec.host")]
    [InlineData("""{"host":"","user":"materialize"}""", "spec.host")]
    [InlineData("""{"host":"127.0.0.1:22","user":"materialize"}""", "put the port in spec.port")]
    [InlineData("""{"host":"[::1]:22","user":"materialize"}""", "put the port in spec.port")]
    [InlineData("""{"user":"materialize"}""", "spec.host: Required value")]
    [InlineData("""{"host":"bastion.example.com"}""", "spec.user: Required value")]
    [InlineData("""{"host":"bastion.example.com","user":"materialize","hostKey":"not a key"}""", "spec.hostKey")]
    public async Task An_invalid_spec_is_refused_with_a_message_naming_the_field(string spec, string expected)
    {
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => CreateAsync("invalid", JsonNode.Parse(spec)!.AsObject()));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.Response.StatusCode);
        Assert.Contains(expected, error.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_longer_than_a_label_value_allows_is_refused()
    {
        var name = new string('a', 64);

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => CreateAsync(name, ValidSpec()));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.Response.StatusCode);
        Assert.Contains("metadata.name", error.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_longest_allowed_name_is_accepted()
    {
        var created = await CreateAsync(new string('a', 63), ValidSpec());

        Assert.Equal(63, created["metadata"]!["name"]!.GetValue<string>().Length);
    }

    [Fact]
    public async Task Port_and_validate_take_their_defaults()
    {
        var created = await CreateAsync("defaults", ValidSpec());

        Assert.Equal(ConnectionSpec.DefaultPort, created["spec"]!["port"]!.GetValue<int>());
        Assert.True(created["spec"]!["validate"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("::1")]
    [InlineData("2001:db8::1")]
    public async Task An_IPv6_literal_host_is_accepted(string host)
    {
        var created = await CreateAsync("ipv6", new JsonObject { ["host"] = host, ["user"] = "materialize" });

        Assert.Equal(host, created["spec"]!["host"]!.GetValue<string>());
    }

    private static JsonObject ValidSpec() => new() { ["host"] = "bastion.example.com", ["user"] = "materialize" };

    private Task<JsonObject> CreateAsync(string name, JsonObject spec) =>
        _cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync<JsonObject>(
            new JsonObject
            {
                ["apiVersion"] = ResourceNames.ApiVersion,
                ["kind"] = ResourceNames.Kind,
                ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
                ["spec"] = spec,
            },
            ResourceNames.Group,
            ResourceNames.Version,
            "default",
            ResourceNames.Plural);
}
