using Microsoft.AspNetCore.Http;

namespace Kube.Emulator.Tables;

/// <summary>Whether a request asks for server-side printing (Accept: application/json;as=Table;v=v1;g=meta.k8s.io).</summary>
internal static class TableRequest
{
    public static bool Wanted(HttpRequest request)
    {
        foreach (var accept in request.Headers.Accept)
        {
            if (accept is not null && accept.Contains("as=Table", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>None, Metadata (the default: PartialObjectMetadata) or Object.</summary>
    public static string IncludeObject(HttpRequest request)
    {
        var value = request.Query["includeObject"].ToString();
        return value.Length == 0 ? "Metadata" : value;
    }
}
