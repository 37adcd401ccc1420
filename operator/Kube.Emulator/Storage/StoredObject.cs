using System.Text.Json.Nodes;
using Kube.Emulator.Objects;

namespace Kube.Emulator.Storage;

/// <summary>One committed version of an object: never mutated, serialized once.</summary>
internal sealed class StoredObject
{
    private static readonly IReadOnlyDictionary<string, string> NoLabels = new Dictionary<string, string>();

    public StoredObject(string key, JsonObject obj, long resourceVersion)
    {
        Key = key;
        Object = obj;
        ResourceVersion = resourceVersion;
        JsonTree.Materialize(obj);
        var metadata = obj.Meta();
        Name = metadata.GetString("name") ?? string.Empty;
        Namespace = metadata.GetString("namespace");
        Uid = metadata.GetString("uid") ?? string.Empty;
        Labels = metadata["labels"] is JsonObject labels
            ? labels.Where(pair => pair.Value is JsonValue).ToDictionary(pair => pair.Key, pair => pair.Value!.ToString(), StringComparer.Ordinal)
            : NoLabels;
        OwnerUids = metadata["ownerReferences"] is JsonArray owners
            ? [.. owners.OfType<JsonObject>().Select(owner => owner.GetString("uid")).OfType<string>()]
            : [];
        Json = JsonText.Serialize(obj);
    }

    public string Key { get; }

    public JsonObject Object { get; }

    public byte[] Json { get; }

    public long ResourceVersion { get; }

    public string Name { get; }

    public string? Namespace { get; }

    public string Uid { get; }

    public IReadOnlyDictionary<string, string> Labels { get; }

    public IReadOnlyList<string> OwnerUids { get; }

    public bool IsTerminating => Object.Meta()["deletionTimestamp"] is not null;

    public JsonObject MutableCopy() => (JsonObject)Object.DeepClone();
}
