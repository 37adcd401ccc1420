using SshTunnel.Core.Model;
using SshTunnel.Core.Reconciliation;
using SshTunnel.Testing.Repository;

namespace SshTunnel.Core.Tests.Crd;

public sealed class CrdModelAgreementTests
{
    private readonly CrdDocument crd = CrdDocument.Load(RepositoryPaths.CrdFile);

    [Fact]
    public void Names_the_API_as_the_model_does()
    {
        Assert.Equal($"{ResourceNames.Plural}.{ResourceNames.Group}", CrdDocument.Text(crd.Root, "metadata", "name"));
        Assert.Equal(ResourceNames.Group, CrdDocument.Text(crd.Root, "spec", "group"));
        Assert.Equal("Namespaced", CrdDocument.Text(crd.Root, "spec", "scope"));
        Assert.Equal(ResourceNames.Kind, CrdDocument.Text(crd.Root, "spec", "names", "kind"));
        Assert.Equal(ResourceNames.Plural, CrdDocument.Text(crd.Root, "spec", "names", "plural"));
        Assert.Equal("sshtunnelconnection", CrdDocument.Text(crd.Root, "spec", "names", "singular"));
        Assert.Equal(["stc", "sshtunnel"], CrdDocument.List(crd.Root, "spec", "names", "shortNames"));
        Assert.Equal(["sshtunnels"], CrdDocument.List(crd.Root, "spec", "names", "categories"));
        Assert.Equal(ResourceNames.Version, CrdDocument.Text(crd.Version, "name"));
        Assert.Equal(("true", "true"), ((string)crd.Version["served"], (string)crd.Version["storage"]));
        Assert.Empty(CrdDocument.Map(crd.Version, "subresources", "status"));
        Assert.Equal(["spec"], CrdDocument.List(crd.Schema, "required"));
    }

    [Fact]
    public void Spec_schema_has_exactly_the_model_properties_types_and_defaults()
    {
        var spec = CrdDocument.Map(crd.Schema, "properties", "spec");
        ModelShape.AssertSameShape(typeof(ConnectionSpec), spec, "spec");

        var properties = CrdDocument.Properties(spec)!;
        var defaults = new ConnectionSpec();
        Assert.Equal(defaults.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), CrdDocument.Text(properties, "port", "default"));
        Assert.Equal(defaults.Validate ? "true" : "false", CrdDocument.Text(properties, "validate", "default"));
        Assert.Equal(["host", "user"], CrdDocument.List(spec, "required"));
        Assert.Equal(new RotationSpec().Guard.ToString(), CrdDocument.Text(properties, "rotation", "properties", "guard", "default"));
        Assert.Equal(defaults.Guard, new RotationSpec().Guard);
        Assert.Equal(defaults.SecretPolicy.ToString(), CrdDocument.Text(properties, "secretPolicy", "default"));
        Assert.Equal("253", CrdDocument.Text(properties, "host", "maxLength"));
        Assert.Equal(("1", "65535"), (CrdDocument.Text(properties, "port", "minimum"), CrdDocument.Text(properties, "port", "maximum")));
    }

    [Fact]
    public void Status_schema_has_exactly_the_model_properties_and_types()
    {
        ModelShape.AssertSameShape(typeof(ConnectionStatus), CrdDocument.Map(crd.Schema, "properties", "status"), "status");
    }

    [Fact]
    public void Conditions_are_a_map_list_keyed_by_type_in_the_metav1_Condition_shape()
    {
        var conditions = CrdDocument.Map(crd.Schema, "properties", "status", "properties", "conditions");

        Assert.Equal("map", CrdDocument.Text(conditions, "x-kubernetes-list-type"));
        Assert.Equal(["type"], CrdDocument.List(conditions, "x-kubernetes-list-map-keys"));
        Assert.Equal(["type", "status", "lastTransitionTime", "reason", "message"], CrdDocument.List(conditions, "items", "required"));
        Assert.Equal(["True", "False", "Unknown"], CrdDocument.List(conditions, "items", "properties", "status", "enum"));
    }

    [Fact]
    public void Printer_columns_show_the_agreed_fields()
    {
        var columns = CrdDocument.List(crd.Version, "additionalPrinterColumns").Cast<Dictionary<object, object>>().ToList();

        Assert.Equal(
            ["Host", "Port", "User", "Ready", "Reason", "Validated", "Key2 Authorized", "Rotations", "Age", "Key1 Fingerprint", "Key2 Fingerprint", "Host Key"],
            columns.Select(c => (string)c["name"]));
        Assert.All(columns.Skip(9), c => Assert.Equal("1", c["priority"]));
        Assert.All(columns.Take(9), c => Assert.False(c.ContainsKey("priority")));
        Assert.Equal(".status.connection.host", ColumnPath(columns, "Host"));
        Assert.Equal(".status.conditions[?(@.type==\"Ready\")].reason", ColumnPath(columns, "Reason"));
        Assert.Equal(".status.conditions[?(@.type==\"SecondaryKeyAuthorized\")].status", ColumnPath(columns, "Key2 Authorized"));
        Assert.Equal(".status.rotation.count", ColumnPath(columns, "Rotations"));
    }

    [Fact]
    public void Every_printer_column_path_exists_in_the_schema_or_names_a_known_condition()
    {
        var conditionTypes = typeof(ConditionTypes).GetFields().Select(f => (string)f.GetValue(null)!).ToHashSet();
        foreach (var column in CrdDocument.List(crd.Version, "additionalPrinterColumns").Cast<Dictionary<object, object>>())
        {
            var path = (string)column["jsonPath"];
            if (path.StartsWith(".status.conditions[", StringComparison.Ordinal))
            {
                Assert.Contains(path.Split('"')[1], conditionTypes);
                continue;
            }

            if (path.StartsWith(".metadata.", StringComparison.Ordinal))
            {
                continue;
            }

            var node = crd.Schema;
            foreach (var segment in path.TrimStart('.').Split('.'))
            {
                node = CrdDocument.Map(node, "properties", segment);
            }

            Assert.Equal(column["type"], node["type"]);
        }
    }

    private static string ColumnPath(List<Dictionary<object, object>> columns, string name) =>
        (string)columns.Single(c => (string)c["name"] == name)["jsonPath"];
}
