using System.Text;
using System.Text.Json.Nodes;
using Kube.Emulator.Objects;
using Microsoft.AspNetCore.Http;
using YamlDotNet.Core;

namespace Kube.Emulator.Api;

/// <summary>Reading request bodies and writing JSON answers with the API server's headers.</summary>
internal static class HttpIo
{
    /// <summary>The API server's request body limit (3 MiB).</summary>
    public const long MaxBodyBytes = 3 * 1024 * 1024;

    public static async Task WriteJsonAsync(HttpContext context, int code, byte[] body)
    {
        var response = context.Response;
        response.StatusCode = code;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    public static Task WriteJsonAsync(HttpContext context, int code, JsonNode body) =>
        WriteJsonAsync(context, code, JsonText.Serialize(body));

    public static Task WriteStatusAsync(HttpContext context, ApiException error)
    {
        foreach (var (name, value) in error.Headers)
        {
            context.Response.Headers[name] = value;
        }

        if (error.PlainText is { } text)
        {
            context.Response.StatusCode = error.Code;
            context.Response.ContentType = "text/plain; charset=utf-8";
            context.Response.Headers.XContentTypeOptions = "nosniff";
            return context.Response.WriteAsync(text, context.RequestAborted);
        }

        return WriteJsonAsync(context, error.Code, error.ToStatus());
    }

    public static void AddWarnings(HttpContext context, IEnumerable<string> warnings)
    {
        foreach (var warning in warnings)
        {
            context.Response.Headers.Append("Warning", "299 - \"" + warning.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"");
        }
    }

    public static async Task<byte[]> ReadBodyAsync(HttpContext context)
    {
        if (context.Request.ContentLength is { } length and <= MaxBodyBytes)
        {
            // The usual request announces its size (Kestrel holds the body to it): read it straight into its array,
            // without a growing buffer and a copy out of it, on every write.
            var body = new byte[length];
            var read = 0;
            while (read < body.Length)
            {
                var chunk = await context.Request.Body.ReadAsync(body.AsMemory(read), context.RequestAborted).ConfigureAwait(false);
                if (chunk == 0)
                {
                    break;
                }

                read += chunk;
            }

            return read == body.Length ? body : body[..read];
        }

        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);

        // The body is read to its end before refusing it, so that the client sees the answer instead of a reset connection.
        if (buffer.Length > MaxBodyBytes)
        {
            throw new ApiException(413, "RequestEntityTooLarge", "Request entity too large: limit is " + MaxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), new JsonObject());
        }

        return buffer.ToArray();
    }

    /// <summary>Parses a JSON or YAML body into an object; anything else is a 400 as the decoder would answer.</summary>
    public static JsonObject ParseObject(byte[] body, string? contentType)
    {
        if (contentType?.Contains("protobuf", StringComparison.OrdinalIgnoreCase) == true)
        {
            try
            {
                return KubernetesProtobuf.TryDecode(body) ?? throw ApiErrors.UnsupportedMediaType(["application/json", "application/yaml"]);
            }
            catch (Exception failure) when (failure is FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
            {
                throw ApiErrors.BadRequest("failed to decode protobuf body: " + failure.Message);
            }
        }

        var node = ParseNode(body);
        return node as JsonObject ?? throw ApiErrors.BadRequest("the object provided is unrecognized (must be of type object)");
    }

    public static JsonNode? ParseNode(byte[] body)
    {
        if (body.Length == 0)
        {
            throw ApiErrors.BadRequest("the body of the request was empty");
        }

        try
        {
            return JsonText.Parse(body);
        }
        catch (System.Text.Json.JsonException)
        {
            try
            {
                var documents = YamlJson.ParseDocuments(Encoding.UTF8.GetString(body));
                return documents.Count == 1 ? documents[0] : throw ApiErrors.BadRequest("the body of the request must hold exactly one document");
            }
            catch (YamlException failure)
            {
                throw ApiErrors.BadRequest("error decoding YAML: " + failure.Message);
            }
        }
    }
}
