using System.Text.Json.Nodes;
using Kube.Emulator.Objects;

namespace Kube.Emulator.Storage;

/// <summary>
/// One committed version of an object, kept only as its JSON bytes plus the few fields reads and selectors need;
/// a tree is parsed on demand (a fresh, mutable one each time), so thousands of stored objects and the watch
/// history cost little more than their serialized size.
/// </summary>
internal sealed class StoredObject
{
    private static readonly IReadOnlyDictionary<string, string> NoLabels = new Dictionary<string, string>();

    public StoredObject(string key, JsonObject obj, long resourceVersion)
    {
        Key = key;
        ResourceVersion = resourceVersion;
        var metadata = obj.Meta();
        ApiVersion = obj.GetString("apiVersion") ?? string.Empty;
        Name = metadata.GetString("name") ?? string.Empty;
        Namespace = metadata.GetString("namespace");
        Uid = metadata.GetString("uid") ?? string.Empty;
        Labels = metadata["labels"] is JsonObject labels
            ? labels.Where(pair => pair.Value is JsonValue).ToDictionary(pair => pair.Key, pair => pair.Value!.ToString(), StringComparer.Ordinal)
            : NoLabels;
        OwnerUids = metadata["ownerReferences"] is JsonArray owners
            ? [.. owners.OfType<JsonObject>().Select(owner => owner.GetString("uid")).OfType<string>()]
            : [];
        Finalizers = metadata.GetStrings("finalizers");
        IsTerminating = metadata["deletionTimestamp"] is not null;
        Json = JsonText.Serialize(obj);
    }

    public string Key { get; }

    public byte[] Json { get; }

    public long ResourceVersion { get; }

    public string ApiVersion { get; }

    public string Name { get; }

    public string? Namespace { get; }

    public string Uid { get; }

    public IReadOnlyDictionary<string, string> Labels { get; }

    public IReadOnlyList<string> OwnerUids { get; }

    public IReadOnlyList<string> Finalizers { get; }

    public bool IsTerminating { get; }

    /// <summary>A freshly parsed tree of this version; callers own it and may change it.</summary>
    public JsonObject Parse() => (JsonObject)JsonText.Parse(Json)!;
}
