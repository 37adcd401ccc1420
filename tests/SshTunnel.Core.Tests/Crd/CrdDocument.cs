using YamlDotNet.Serialization;

namespace SshTunnel.Core.Tests.Crd;

/// <summary>The CRD file loaded as plain YAML maps, with paths into it.</summary>
internal sealed class CrdDocument
{
    private CrdDocument(Dictionary<object, object> root) => Root = root;

    public Dictionary<object, object> Root { get; }

    public Dictionary<object, object> Version => (Dictionary<object, object>)List(Root, "spec", "versions").Single();

    public Dictionary<object, object> Schema => Map(Version, "schema", "openAPIV3Schema");

    public static CrdDocument Load(string path) =>
        new(new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(File.ReadAllText(path)));

    public static Dictionary<object, object> Map(Dictionary<object, object> node, params string[] path) =>
        (Dictionary<object, object>)Walk(node, path);

    public static List<object> List(Dictionary<object, object> node, params string[] path) => (List<object>)Walk(node, path);

    public static string Text(Dictionary<object, object> node, params string[] path) => (string)Walk(node, path);

    public static Dictionary<object, object>? Properties(Dictionary<object, object> schema) =>
        schema.TryGetValue("properties", out var properties) ? (Dictionary<object, object>)properties : null;

    private static object Walk(Dictionary<object, object> node, string[] path)
    {
        object current = node;
        foreach (var key in path)
        {
            current = ((Dictionary<object, object>)current)[key];
        }

        return current;
    }
}
