using System.Text;
using System.Text.Json.Nodes;
using Kube.Emulator.Discovery;
using Kube.Emulator.Objects;

namespace Kube.Emulator.Strategies;

/// <summary>Secrets: stringData folds into base64 data, type defaults to Opaque and is immutable.</summary>
internal sealed class SecretStrategy : ObjectStrategy
{
    public override void PrepareForCreate(ResourceType type, JsonObject obj) => Fold(obj);

    public override void PrepareForUpdate(ResourceType type, JsonObject obj, JsonObject old) => Fold(obj);

    public override IEnumerable<FieldProblem> Validate(ResourceType type, JsonObject obj, JsonObject? old)
    {
        if (old is not null && obj.GetString("type") != old.GetString("type"))
        {
            yield return FieldProblem.Immutable("type", FieldProblem.Quote(obj.GetString("type") ?? string.Empty));
        }

        if (obj["data"] is JsonObject data)
        {
            foreach (var pair in data)
            {
                if (pair.Value is not JsonValue value || !IsBase64(value.ToString()))
                {
                    yield return FieldProblem.Invalid("data[" + pair.Key + "]", "\"<secret contents redacted>\"", "illegal base64 data");
                }
            }
        }
    }

    private static bool IsBase64(string text)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out _);
    }

    private static void Fold(JsonObject obj)
    {
        if (string.IsNullOrEmpty(obj.GetString("type")))
        {
            obj["type"] = "Opaque";
        }

        if (obj["stringData"] is JsonObject stringData)
        {
            var data = obj.GetOrAddObject("data");
            foreach (var pair in stringData)
            {
                data[pair.Key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(pair.Value?.ToString() ?? string.Empty));
            }

            obj.Remove("stringData");
        }
        else if (obj.ContainsKey("stringData"))
        {
            obj.Remove("stringData");
        }
    }
}
