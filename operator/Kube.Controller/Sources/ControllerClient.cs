using System.Text.Json;
using k8s;
using k8s.Autorest;

namespace Kube.Controller.Sources;

/// <summary>
/// KubernetesClient's client as Kube.Controller reads with it. A watch call's response is
/// handed back as the server sent it, one JSON event per line, instead of wrapped for
/// KubernetesClient's watcher, which decodes every event two or three times over;
/// <see cref="ResourceSources"/> read it with <see cref="WatchEventReader{T}"/>, which decodes
/// each object once, or not at all when the informer already holds its version. Every other
/// response is decoded as KubernetesClient decodes it (the same serializer options), except that
/// objects come without <c>metadata.managedFields</c>, which no controller here reads
/// (<see cref="ClientJson"/>). Requests are KubernetesClient's own.
/// </summary>
public class ControllerClient : Kubernetes
{
    /// <summary>A client for <paramref name="config"/>, sending through <paramref name="handlers"/> as KubernetesClient does.</summary>
    public ControllerClient(KubernetesClientConfiguration config, params DelegatingHandler[] handlers)
        : base(config, handlers)
    {
    }

    /// <inheritdoc/>
    protected override async Task<HttpOperationResponse<T>> CreateResultAsync<T>(
        HttpRequestMessage httpRequest, HttpResponseMessage httpResponse, bool? watch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpRequest);
        ArgumentNullException.ThrowIfNull(httpResponse);
        var result = new HttpOperationResponse<T> { Request = httpRequest, Response = httpResponse };
        if (watch == true)
        {
            return result;
        }

        try
        {
            // Read synchronously, as KubernetesClient reads it: this override is compiled ahead of time for every
            // response type of the client, and the asynchronous reader made the native executable 4 MB larger
            // and its resident memory 10 MiB more.
            var stream = await httpResponse.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                result.Body = JsonSerializer.Deserialize(stream, ClientJson.TypeInfo<T>())!;
            }

            return result;
        }
        catch (JsonException)
        {
            // As KubernetesClient: a body that does not decode ends the exchange.
            httpRequest.Dispose();
            httpResponse.Dispose();
            throw;
        }
    }
}
