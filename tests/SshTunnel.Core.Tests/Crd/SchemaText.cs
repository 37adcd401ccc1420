using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Kube.Emulator.Objects;

namespace SshTunnel.Core.Tests.Crd;

/// <summary>A CRD's OpenAPI schema of one top-level field as a JSON Schema, and strict validation against it.</summary>
internal static class SchemaText
{
    private static readonly EvaluationOptions Strict = new() { RequireFormatValidation = true, OutputFormat = OutputFormat.List };

    /// <summary>The schema of <paramref name="field"/> in the CRD file, without the Kubernetes extensions (CEL rules are tested on their own).</summary>
    public static JsonSchema Of(string crdFile, string field)
    {
        var crd = YamlJson.Parse(File.ReadAllText(crdFile));
        var schema = crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!["properties"]![field]!.DeepClone();
        RemoveKubernetesExtensions(schema);
        return JsonSchema.FromText(schema.ToJsonString());
    }

    public static bool IsValid(JsonSchema schema, JsonElement instance) => schema.Evaluate(instance, Strict).IsValid;

    public static void AssertValid(JsonSchema schema, JsonElement instance, string context = "")
    {
        var result = schema.Evaluate(instance, Strict);
        var errors = (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"));
        Assert.True(result.IsValid, string.Join("\n", errors) + "\n" + instance + "\n" + context);
    }

    private static void RemoveKubernetesExtensions(JsonNode? node)
    {
        if (node is JsonObject map)
        {
            foreach (var key in map.Select(entry => entry.Key).Where(key => key.StartsWith("x-kubernetes-", StringComparison.Ordinal)).ToList())
            {
                map.Remove(key);
            }

            foreach (var (_, child) in map)
            {
                RemoveKubernetesExtensions(child);
            }
        }
        else if (node is JsonArray list)
        {
            foreach (var child in list)
            {
                RemoveKubernetesExtensions(child);
            }
        }
    }
}
