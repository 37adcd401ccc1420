using System.Net;
using k8s.Autorest;
using SshTunnel.Testing.Polling;

namespace SshTunnel.Testing.Kubernetes;

/// <summary>Reads from the API server where a 404 is an answer, not a failure.</summary>
public static class ApiReads
{
    /// <summary>The object <paramref name="read"/> returns, or null when the server answers 404.</summary>
    public static async Task<T?> OrNullAsync<T>(Func<Task<T>> read)
        where T : class
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (HttpOperationException failure) when (failure.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Polls <paramref name="read"/> until the server answers 404, and returns that answer.</summary>
    public static async Task<HttpOperationException> UntilGoneAsync(Func<Task> read, string what) =>
        (await Eventually.Until(
            async () =>
            {
                try
                {
                    await read().ConfigureAwait(false);
                    return null;
                }
                catch (HttpOperationException failure) when (failure.Response.StatusCode == HttpStatusCode.NotFound)
                {
                    return failure;
                }
            },
            failure => failure is not null,
            what + " to be gone (404)",
            describe: _ => "still there").ConfigureAwait(false))!;
}
