using Cel;
using SshTunnel.Testing.Repository;

namespace SshTunnel.Core.Tests.Crd;

/// <summary>
/// Evaluates the CRD's CEL rules (<c>x-kubernetes-validations</c>) with a CEL implementation on
/// accepted and refused values, and checks that every refusal says what to fix.
/// </summary>
public sealed class CrdValidationRuleTests
{
    private static readonly CrdDocument Crd = CrdDocument.Load(RepositoryPaths.CrdFile);
    private readonly CelEnvironment cel = new(null, null);

    [Theory]
    [InlineData("bastion.example.com")]
    [InlineData("10.0.0.7")]
    [InlineData("2001:db8::1")]
    [InlineData("::1")]
    [InlineData("::ffff:192.0.2.7")]
    [InlineData("fe80::1%eth0")]
    public void Accepts_host_names_and_IP_literals(string host) => Assert.Empty(Refusals("host", host));

    [Theory]
    [InlineData("", "must not be empty")]
    [InlineData("bastion .example.com", "must not contain whitespace")]
    [InlineData("bastion.example.com\n", "must not contain whitespace")]
    [InlineData("127.0.0.1:22", "put the port in spec.port")]
    [InlineData("bastion.example.com:2222", "put the port in spec.port")]
    [InlineData("db8:22", "put the port in spec.port")]
    [InlineData("[::1]:22", "put the port in spec.port")]
    [InlineData("[2001:db8::1]", "without brackets")]
    public void Refuses_empty_hosts_and_whitespace_saying_why(string host, string expected) =>
        Assert.Contains(Refusals("host", host), message => message.Contains(expected, StringComparison.Ordinal));

    /// <summary>
    /// The API server reports a failed rule next to a failed minimum/maximum (only type, required, enum and size
    /// errors skip the rules), so a rule that repeats a bound would give the user two errors for one field.
    /// </summary>
    [Fact]
    public void No_rule_repeats_a_bound_the_schema_already_enforces()
    {
        Assert.False(CrdDocument.Map(Crd.Schema, "properties", "spec", "properties", "port").ContainsKey("x-kubernetes-validations"));
        Assert.Empty(Refusals("host", new string('a', 254)));
    }

    [Theory]
    [InlineData("materialize", true)]
    [InlineData("", false)]
    [InlineData("mz user", false)]
    public void User_must_be_non_empty_without_whitespace(string user, bool accepted) =>
        Assert.Equal(accepted, Refusals("user", user).Count == 0);

    [Theory]
    [InlineData("", true)]
    [InlineData("SHA256:jbqOuV9i6olP2QEeAGBOlywZGSpKWg4U/qzqUaXXnKA", true)]
    [InlineData("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIP1Zc9ppJ6u6VnafBn0mXVOlspVKZDSVEp8fjbH1Rxc1", true)]
    [InlineData("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIP1Zc9ppJ6u6VnafBn0mXVOlspVKZDSVEp8fjbH1Rxc1 root@bastion", true)]
    [InlineData("ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBNarMy8RDucXvtEtjNzo2KdzdGPdcu9wkKwDTP251cfD5C9FZ4sUMLwGxzZDYJLpZbUf8+jtWGfM4Be1whCS96Y=", true)]
    [InlineData("bastion.example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIP1Zc9ppJ6u6VnafBn0mXVOlspVKZDSVEp8fjbH1Rxc1", false)]
    [InlineData("SHA256:short", false)]
    [InlineData("MD5:16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48", false)]
    public void Host_key_pin_is_empty_a_key_line_or_a_SHA256_fingerprint(string hostKey, bool accepted)
    {
        var refusals = Refusals("hostKey", hostKey);

        Assert.Equal(accepted, refusals.Count == 0);
        Assert.All(refusals, message => Assert.Contains("ssh-keygen -l", message));
    }

    [Fact]
    public void Every_string_used_in_a_rule_has_a_max_length_for_cost_estimation()
    {
        var spec = CrdDocument.Properties(CrdDocument.Map(Crd.Schema, "properties", "spec"))!;
        foreach (var (name, value) in spec)
        {
            var property = (Dictionary<object, object>)value;
            if (property.ContainsKey("x-kubernetes-validations") && (string)property["type"] == "string")
            {
                Assert.True(property.ContainsKey("maxLength"), $"spec.{name} has CEL rules but no maxLength");
            }
        }
    }

    [Theory]
    [InlineData("warehouse-bastion.yaml")]
    [InlineData("validated-bastion.yaml")]
    public void The_examples_pass_every_rule(string file)
    {
        var example = CrdDocument.Load(Path.Combine(RepositoryPaths.CrdExamples, file));
        var spec = CrdDocument.Map(example.Root, "spec");
        var known = CrdDocument.Properties(CrdDocument.Map(Crd.Schema, "properties", "spec"))!;

        Assert.Equal("sshtunnels.io/v1alpha1", CrdDocument.Text(example.Root, "apiVersion"));
        Assert.Equal("SshTunnelConnection", CrdDocument.Text(example.Root, "kind"));
        foreach (var (name, value) in spec)
        {
            Assert.True(known.ContainsKey(name), $"spec.{name} is not in the schema");
            object typed = (string)name == "port" ? long.Parse((string)value, System.Globalization.CultureInfo.InvariantCulture) : value;
            if (((Dictionary<object, object>)known[name]).ContainsKey("x-kubernetes-validations"))
            {
                Assert.Empty(Refusals((string)name, typed));
            }
        }
    }

    private List<string> Refusals(string field, object value)
    {
        var property = CrdDocument.Map(Crd.Schema, "properties", "spec", "properties", field);
        var refusals = new List<string>();
        foreach (var rule in CrdDocument.List(property, "x-kubernetes-validations").Cast<Dictionary<object, object>>())
        {
            var result = cel.Program((string)rule["rule"], new Dictionary<string, object?> { ["self"] = value });
            if (result is not true)
            {
                refusals.Add((string)rule["message"]);
            }
        }

        return refusals;
    }
}
