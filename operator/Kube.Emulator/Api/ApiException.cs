using System.Text.Json.Nodes;

namespace Kube.Emulator.Api;

/// <summary>A failed request, carrying the Status the API server answers with.</summary>
internal sealed class ApiException(int code, string reason, string message, JsonObject? details = null) : Exception(message)
{
    public int Code { get; } = code;

    public string Reason { get; } = reason;

    public JsonObject? Details { get; } = details;

    /// <summary>Extra response headers, e.g. Retry-After.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The plain-text body the server answers with instead of a Status, when it has no API
    /// handler for the path at all (Go's <c>http.NotFound</c>); null for a Status.
    /// </summary>
    public string? PlainText { get; init; }

    /// <summary>Extra metadata of the Status, e.g. an inconsistent continue token.</summary>
    public JsonObject? Metadata { get; init; }

    public JsonObject ToStatus()
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = Metadata?.DeepClone() ?? new JsonObject(),
            ["status"] = "Failure",
            ["message"] = Message,
            ["reason"] = Reason,
        };
        if (Details is not null)
        {
            status["details"] = Details.DeepClone();
        }

        status["code"] = Code;
        return status;
    }
}
