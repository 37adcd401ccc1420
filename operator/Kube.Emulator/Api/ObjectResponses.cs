using System.Text.Json.Nodes;
using Kube.Emulator.Discovery;
using Kube.Emulator.Objects;
using Kube.Emulator.Storage;
using Kube.Emulator.Tables;
using Microsoft.AspNetCore.Http;

namespace Kube.Emulator.Api;

/// <summary>Writes one object as the client asked for it: JSON in the requested version, or a Table.</summary>
internal static class ObjectResponses
{
    public static async Task WriteAsync(HttpContext context, ResourceType type, int code, StoredObject obj, TimeProvider time)
    {
        if (TableRequest.Wanted(context.Request))
        {
            await HttpIo.WriteJsonAsync(context, code, TableWriter.Build(type, [Render(type, obj)], null, null, TableRequest.IncludeObject(context.Request), withHeaders: true, time)).ConfigureAwait(false);
            return;
        }

        await HttpIo.WriteJsonAsync(context, code, RenderBytes(type, obj)).ConfigureAwait(false);
    }

    /// <summary>The object as seen through <paramref name="type"/>'s API version (versions of one CRD share storage unconverted).</summary>
    public static JsonObject Render(ResourceType type, StoredObject obj)
    {
        var tree = obj.Parse();
        tree["apiVersion"] = type.ApiVersion;
        return tree;
    }

    public static byte[] RenderBytes(ResourceType type, StoredObject obj) =>
        obj.ApiVersion == type.ApiVersion ? obj.Json : JsonText.Serialize(Render(type, obj));

}
