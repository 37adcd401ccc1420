using System.Text.Json.Nodes;

namespace Kube.Emulator.Schema;

/// <summary>
/// The old value correlated with a new one on update, as apiextensions correlates them for ratcheting and
/// <c>oldSelf</c>: by field name through objects and maps, by key through list-type map items, and by equality
/// through list-type set items. Absent (null) where there is no correlated old value.
/// </summary>
internal readonly record struct OldValue(JsonNode? Value)
{
    /// <summary>Whether the new value equals this old one, so that errors in it are ratcheted away.</summary>
    public bool Unchanged(JsonNode? value) => JsonEquality.DeepEquals(Value, value);

    public static OldValue? Field(OldValue? old, string name) =>
        old?.Value is JsonObject obj && obj.TryGetPropertyValue(name, out var value) ? new OldValue(value) : null;

    public static OldValue? Item(OldValue? old, JsonNode? item, SchemaNode list)
    {
        if (old?.Value is not JsonArray oldItems)
        {
            return null;
        }

        var match = list.ListType switch
        {
            "map" when item is JsonObject obj => oldItems.FirstOrDefault(candidate =>
                candidate is JsonObject oldObj && list.ListMapKeys.All(k => JsonEquality.DeepEquals(oldObj[k], obj[k]))),
            "set" => oldItems.FirstOrDefault(candidate => JsonEquality.DeepEquals(candidate, item)),
            _ => null,
        };
        return match is null ? null : new OldValue(match);
    }
}
