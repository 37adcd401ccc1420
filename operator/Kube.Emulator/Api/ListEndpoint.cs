using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Kube.Emulator.Discovery;
using Kube.Emulator.Selectors;
using Kube.Emulator.Storage;
using Kube.Emulator.Tables;
using Microsoft.AspNetCore.Http;

namespace Kube.Emulator.Api;

/// <summary>LIST: selectors, limit and continue, and the list written by concatenating each object's stored bytes.</summary>
internal sealed class ListEndpoint(TimeProvider time)
{
    public async Task ListAsync(HttpContext context, ResourceType type, string? namespaceName)
    {
        var query = context.Request.Query;
        var labels = LabelSelector.Parse(query["labelSelector"]);
        var fields = FieldSelector.Parse(query["fieldSelector"], type);
        var snapshot = type.Store.List(namespaceName);
        var start = 0;
        if (query["continue"] is { Count: > 0 } continueValue && !string.IsNullOrEmpty(continueValue))
        {
            var token = ContinueToken.Decode(continueValue!);
            if (type.Store.ListAt(namespaceName, token.ResourceVersion) is not { } past)
            {
                throw new ApiException(410, "Expired", "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.")
                {
                    Metadata = new JsonObject { ["continue"] = new ContinueToken(-1, token.StartAfter).Encode() },
                };
            }

            snapshot = past;
            start = FirstAfter(snapshot.Items, token.StartAfter);
        }

        var items = snapshot.Items;
        var listVersion = snapshot.ResourceVersion;

        var limit = long.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var parsedLimit) && parsedLimit > 0 ? parsedLimit : long.MaxValue;
        var selected = new List<StoredObject>();
        string? next = null;
        long? remaining = null;
        for (var index = start; index < items.Count; index++)
        {
            var item = items[index];
            if (!labels.Matches(item.Labels) || !fields.Matches(item))
            {
                continue;
            }

            if (selected.Count >= limit)
            {
                next = new ContinueToken(listVersion, selected[^1].Key).Encode();
                if (labels.IsEverything && fields.IsEverything)
                {
                    remaining = items.Count - index;
                }

                break;
            }

            selected.Add(item);
        }

        var versionText = listVersion.ToString(CultureInfo.InvariantCulture);
        if (TableRequest.Wanted(context.Request))
        {
            var table = TableWriter.Build(type, selected.Select(item => ObjectResponses.Render(type, item)), versionText, next, TableRequest.IncludeObject(context.Request), withHeaders: true, time);
            await HttpIo.WriteJsonAsync(context, 200, table).ConfigureAwait(false);
            return;
        }

        var buffer = new ArrayBufferWriter<byte>(256 + (selected.Count * 512));
        var metadata = new JsonObject { ["resourceVersion"] = versionText };
        if (next is not null)
        {
            metadata["continue"] = next;
        }

        if (remaining is not null)
        {
            metadata["remainingItemCount"] = remaining;
        }

        Append(buffer, "{\"kind\":\"" + type.ListKind + "\",\"apiVersion\":\"" + type.ApiVersion + "\",\"metadata\":" + metadata.ToJsonString() + ",\"items\":[");
        for (var index = 0; index < selected.Count; index++)
        {
            if (index > 0)
            {
                Append(buffer, ",");
            }

            buffer.Write(ObjectResponses.RenderBytes(type, selected[index]));
        }

        Append(buffer, "]}");
        await HttpIo.WriteJsonAsync(context, 200, buffer.WrittenSpan.ToArray()).ConfigureAwait(false);
    }


    private static int FirstAfter(IReadOnlyList<StoredObject> items, string key)
    {
        int low = 0, high = items.Count;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (string.CompareOrdinal(items[middle].Key, key) <= 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private static void Append(ArrayBufferWriter<byte> buffer, string text) => buffer.Write(Encoding.UTF8.GetBytes(text));
}
