using System.Globalization;
using System.Net;
using k8s.Autorest;

namespace Kube.Controller.Api;

/// <summary>Reads what the API server said out of KubernetesClient's exceptions.</summary>
public static class ApiErrors
{
    public static HttpStatusCode? StatusOf(Exception exception) =>
        exception is HttpOperationException { Response: { } response } ? response.StatusCode : null;

    public static bool IsConflict(Exception exception) => StatusOf(exception) == HttpStatusCode.Conflict;

    public static bool IsNotFound(Exception exception) => StatusOf(exception) == HttpStatusCode.NotFound;

    /// <summary>403: the caller's roles do not grant the verb on the resource.</summary>
    public static bool IsForbidden(Exception exception) => StatusOf(exception) == HttpStatusCode.Forbidden;

    /// <summary>422: the request cannot apply to the object as it is (an invalid object, a JSON patch path it lacks).</summary>
    public static bool IsInvalid(Exception exception) => StatusOf(exception) == HttpStatusCode.UnprocessableEntity;

    /// <summary>Whether a retry may succeed: throttling, server errors, and transport failures.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        HttpOperationException { Response: { } response } =>
            response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500,
        HttpRequestException => true,
        IOException => true,
        TimeoutException => true,
        TaskCanceledException { InnerException: TimeoutException } => true,
        Polly.Timeout.TimeoutRejectedException => true,
        _ => false,
    };

    /// <summary>The server's <c>Retry-After</c> in seconds, when it sent one.</summary>
    public static TimeSpan? RetryAfter(Exception exception)
    {
        if (exception is not HttpOperationException { Response.Headers: { } headers }
            || !headers.TryGetValue("Retry-After", out var values))
        {
            return null;
        }

        var first = values.FirstOrDefault();
        return int.TryParse(first, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
            ? TimeSpan.FromSeconds(seconds)
            : null;
    }
}
