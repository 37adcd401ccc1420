using System.Text.Json;
using System.Text.Json.Nodes;
using Kube.Emulator.Api;
using Kube.Emulator.Objects;
using Microsoft.AspNetCore.Http;

namespace Kube.Emulator;

/// <summary>
/// <see cref="EmulatorControl"/> over HTTP under <see cref="Prefix"/>, a path no Kubernetes API uses, for tools
/// outside the emulator's process (served only when <see cref="EmulatorOptions.ControlOverHttp"/> is on):
/// <list type="bullet">
/// <item><c>POST faults</c> <c>{"count": 2, "match": {"verb": "update", "resource": "secrets", "subresource": null, "namespace": "ns", "name": "n", "group": ""}, "fault": {"type": "ServerError", "code": 503}}</c>;
/// fault types ServerError (code 500 or 503), TooManyRequests (retryAfterSeconds), Timeout (afterSeconds, 60 by default,
/// then 504), Hang, Conflict, CommitThenFail (reset: false for a 500, true to drop the connection).</item>
/// <item><c>DELETE faults</c>: disarms them and lets hung requests be served.</item>
/// <item><c>POST watches/close</c>, <c>POST history/compact</c>.</item>
/// <item><c>GET writes</c> (write requests per resource), <c>GET requests</c> (the log), <c>GET requests/forbidden</c> (what RBAC refused), <c>PUT requests/recording</c> <c>{"enabled": true}</c>, <c>POST counters/reset</c>.</item>
/// <item><c>POST tokens</c> <c>{"namespace": "ns", "serviceAccount": "sa"}</c>: a bearer token for the ServiceAccount.</item>
/// </list>
/// </summary>
internal sealed class ControlEndpoints(EmulatorControl control)
{
    /// <summary>Kubernetes serves /api, /apis, /openapi, /version, /healthz, /livez, /readyz, /metrics, /logs and /.well-known; never /emulator.</summary>
    public const string Prefix = "/emulator/v1/";

    private static readonly string[] MatchFields = ["verb", "group", "resource", "subresource", "namespace", "name"];

    public async Task ServeAsync(HttpContext context, string path)
    {
        var route = path[Prefix.Length..].TrimEnd('/');
        var method = context.Request.Method;
        JsonNode answer;
        switch (route)
        {
            case "faults" when HttpMethods.IsPost(method):
                {
                    var body = await BodyAsync(context).ConfigureAwait(false);
                    var count = body["count"] is JsonValue value && value.TryGetValue<int>(out var parsed) && parsed > 0 ? parsed : throw ApiErrors.BadRequest("count: must be a positive integer");
                    var match = Match(body["match"] as JsonObject ?? []);
                    control.FailNext(count, match, Fault(body["fault"] as JsonObject ?? throw ApiErrors.BadRequest("fault: required, e.g. {\"type\": \"ServerError\", \"code\": 500}")));
                    await HttpIo.WriteJsonAsync(context, 201, body).ConfigureAwait(false);
                    return;
                }

            case "faults" when HttpMethods.IsDelete(method):
                control.ClearFaults();
                answer = new JsonObject();
                break;
            case "watches/close" when HttpMethods.IsPost(method):
                control.CloseAllWatches();
                answer = new JsonObject();
                break;
            case "history/compact" when HttpMethods.IsPost(method):
                control.CompactHistory();
                answer = new JsonObject();
                break;
            case "writes" when HttpMethods.IsGet(method):
                answer = new JsonObject([.. control.WriteCounts.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => KeyValuePair.Create(pair.Key, (JsonNode?)pair.Value))]);
                break;
            case "requests" when HttpMethods.IsGet(method):
                answer = new JsonObject
                {
                    ["recording"] = control.RecordRequests,
                    ["items"] = new JsonArray([.. control.RecordedRequests.Select(request => (JsonNode?)Describe(request))]),
                };
                break;
            case "requests/forbidden" when HttpMethods.IsGet(method):
                answer = new JsonObject { ["items"] = new JsonArray([.. control.ForbiddenRequests.Select(request => (JsonNode?)Describe(request))]) };
                break;
            case "requests/recording" when HttpMethods.IsPut(method):
                {
                    var body = await BodyAsync(context).ConfigureAwait(false);
                    control.RecordRequests = body["enabled"] is JsonValue enabled && enabled.GetValueKind() is JsonValueKind.True or JsonValueKind.False
                        ? enabled.GetValue<bool>()
                        : throw ApiErrors.BadRequest("enabled: must be true or false");
                    answer = new JsonObject { ["enabled"] = control.RecordRequests };
                    break;
                }

            case "tokens" when HttpMethods.IsPost(method):
                {
                    var body = await BodyAsync(context).ConfigureAwait(false);
                    var namespaceName = body["namespace"]?.GetValue<string>() ?? throw ApiErrors.BadRequest("namespace: required");
                    var account = body["serviceAccount"]?.GetValue<string>() ?? throw ApiErrors.BadRequest("serviceAccount: required");
                    answer = new JsonObject { ["token"] = control.IssueToken(namespaceName, account) };
                    break;
                }

            case "counters/reset" when HttpMethods.IsPost(method):
                control.ResetCounters();
                answer = new JsonObject();
                break;
            default:
                throw new ApiException(404, "NotFound", "no control endpoint " + method + " " + path + "; see operator/Kube.Emulator/README.md");
        }

        await HttpIo.WriteJsonAsync(context, 200, answer).ConfigureAwait(false);
    }

    private static async Task<JsonObject> BodyAsync(HttpContext context)
    {
        var bytes = await HttpIo.ReadBodyAsync(context).ConfigureAwait(false);
        try
        {
            return JsonText.Parse(bytes) as JsonObject ?? throw ApiErrors.BadRequest("the body must be a JSON object");
        }
        catch (JsonException failure)
        {
            throw ApiErrors.BadRequest("the body is not JSON: " + failure.Message);
        }
    }

    /// <summary>Every field given must equal the request's (null matches no subresource, the core group is ""); fields left out match anything.</summary>
    private static Func<RequestInfo, bool> Match(JsonObject match)
    {
        foreach (var (key, _) in match)
        {
            if (!MatchFields.Contains(key))
            {
                throw ApiErrors.BadRequest("match." + key + ": unknown field; use " + string.Join(", ", MatchFields));
            }
        }

        var wanted = MatchFields.Where(match.ContainsKey).Select(field => (Field: field, Value: match[field]?.GetValue<string>())).ToList();
        return request => wanted.All(entry => Field(request, entry.Field) == entry.Value);
    }

    private static string? Field(RequestInfo request, string field) => field switch
    {
        "verb" => request.Verb,
        "group" => request.Group ?? string.Empty,
        "resource" => request.Resource,
        "subresource" => request.Subresource,
        "namespace" => request.Namespace,
        _ => request.Name,
    };

    private static EmulatorFault Fault(JsonObject fault)
    {
        var type = fault["type"]?.GetValue<string>();
        return type switch
        {
            "ServerError" => Number(fault, "code", 500) is var code && code is 500 or 503 ? new EmulatorFault.ServerError(code) : throw ApiErrors.BadRequest("fault.code: must be 500 or 503"),
            "TooManyRequests" => new EmulatorFault.TooManyRequests(TimeSpan.FromSeconds(Number(fault, "retryAfterSeconds", 1))),
            "Timeout" => new EmulatorFault.Timeout(TimeSpan.FromSeconds(Number(fault, "afterSeconds", 60))),
            "Hang" => new EmulatorFault.Timeout(),
            "Conflict" => new EmulatorFault.Conflict(),
            "CommitThenFail" => new EmulatorFault.CommitThenFail(fault["reset"] is JsonValue reset && reset.GetValueKind() == JsonValueKind.True),
            _ => throw ApiErrors.BadRequest("fault.type: \"" + type + "\" is not one of ServerError, TooManyRequests, Timeout, Hang, Conflict, CommitThenFail"),
        };
    }

    private static int Number(JsonObject fault, string field, int fallback) => fault[field] switch
    {
        null => fallback,
        JsonValue value when value.TryGetValue<int>(out var number) && number >= 0 => number,
        _ => throw ApiErrors.BadRequest("fault." + field + ": must be a whole number, not " + fault[field]!.ToJsonString()),
    };

    private static JsonObject Describe(RequestInfo request) => new()
    {
        ["method"] = request.Method,
        ["verb"] = request.Verb,
        ["group"] = request.Group,
        ["version"] = request.Version,
        ["resource"] = request.Resource,
        ["subresource"] = request.Subresource,
        ["namespace"] = request.Namespace,
        ["name"] = request.Name,
        ["path"] = request.Path,
        ["user"] = request.User,
    };
}
