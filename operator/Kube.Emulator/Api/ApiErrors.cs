using System.Text.Json.Nodes;
using Kube.Emulator.Discovery;
using Kube.Emulator.Strategies;

namespace Kube.Emulator.Api;

/// <summary>The API server's standard errors (k8s.io/apimachinery/pkg/api/errors), word for word.</summary>
internal static class ApiErrors
{
    public const string ConflictDetail = "the object has been modified; please apply your changes to the latest version and try again";

    public static ApiException NotFound(ResourceType type, string name) =>
        NotFound(type.Group, type.Plural, type.QualifiedResource, name);

    public static ApiException NotFound(string group, string plural, string qualifiedResource, string name) =>
        new(404, "NotFound", qualifiedResource + " \"" + name + "\" not found", Details(name, group, plural));

    public static ApiException NamespaceNotFound(string namespaceName) =>
        NotFound(string.Empty, "namespaces", "namespaces", namespaceName);

    public static ApiException AlreadyExists(ResourceType type, string name) =>
        new(409, "AlreadyExists", type.QualifiedResource + " \"" + name + "\" already exists", Details(name, type.Group, type.Plural));

    public static ApiException Conflict(ResourceType type, string name, string detail = ConflictDetail) =>
        Conflict(type.Group, type.Plural, type.QualifiedResource, name, detail);

    public static ApiException Conflict(string group, string plural, string qualifiedResource, string name, string detail = ConflictDetail) =>
        new(409, "Conflict", "Operation cannot be fulfilled on " + qualifiedResource + " \"" + name + "\": " + detail, Details(name, group, plural));

    public static ApiException Invalid(ResourceType type, string name, IReadOnlyList<FieldProblem> problems)
    {
        var joined = problems.Count == 1 ? problems[0].ToString() : "[" + string.Join(", ", problems) + "]";
        var details = Details(name, type.Group, type.Kind);
        details["causes"] = new JsonArray(problems.Select(problem => (JsonNode?)new JsonObject
        {
            ["reason"] = problem.Reason,
            ["message"] = problem.Message,
            ["field"] = problem.Field,
        }).ToArray());
        return new ApiException(422, "Invalid", type.QualifiedKind + " \"" + name + "\" is invalid: " + joined, details);
    }

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiException ResourceNotFound() =>
        new(404, "NotFound", "the server could not find the requested resource", new JsonObject());

    /// <summary>
    /// A resource path no API handler serves, such as a custom resource whose CRD is not
    /// installed: the real server's handler chain ends in Go's <c>http.NotFound</c>, a plain-text
    /// 404 and no Status (clients then report "the server could not find the requested resource").
    /// </summary>
    public static ApiException PageNotFound() =>
        new(404, "NotFound", "404 page not found") { PlainText = "404 page not found\n" };

    public static ApiException MethodNotAllowed() =>
        new(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", new JsonObject());

    public static ApiException UnsupportedMediaType(IEnumerable<string> accepted) =>
        new(415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types include: " + string.Join(", ", accepted), new JsonObject());

    public static ApiException Forbidden(ResourceType type, string name, string detail) =>
        new(403, "Forbidden", type.QualifiedResource + " \"" + name + "\" is forbidden: " + detail, Details(name, type.Group, type.Plural));

    public static ApiException InternalError(string detail) =>
        new(500, "InternalError", "Internal error occurred: " + detail, new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["message"] = detail }) });

    private static JsonObject Details(string name, string group, string kind)
    {
        var details = new JsonObject { ["name"] = name };
        if (group.Length > 0)
        {
            details["group"] = group;
        }

        details["kind"] = kind;
        return details;
    }
}
