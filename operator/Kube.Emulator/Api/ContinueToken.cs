using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Kube.Emulator.Api;

/// <summary>The opaque continue token of a paged list: the list's resourceVersion and the last key served.</summary>
internal sealed record ContinueToken(long ResourceVersion, string StartAfter)
{
    public string Encode()
    {
        var json = new JsonObject { ["v"] = "meta.k8s.io/v1", ["rv"] = ResourceVersion, ["start"] = StartAfter + "\u0000" }.ToJsonString();
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static ContinueToken Decode(string token)
    {
        try
        {
            var text = token.Replace('-', '+').Replace('_', '/');
            text = text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '=');
            var json = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(text)))!.AsObject();
            var start = json["start"]!.GetValue<string>().TrimEnd('\u0000');
            return new ContinueToken(long.Parse(json["rv"]!.ToString(), CultureInfo.InvariantCulture), start);
        }
        catch (Exception failure) when (failure is FormatException or System.Text.Json.JsonException or NullReferenceException or InvalidOperationException)
        {
            throw ApiErrors.BadRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
        }
    }
}
