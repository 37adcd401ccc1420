using k8s;
using k8s.Autorest;

namespace Kube.Controller.Sources;

/// <summary>
/// KubernetesClient's client, except that the response of a watch call is handed back as the
/// server sent it, one JSON event per line, instead of wrapped for KubernetesClient's watcher,
/// which decodes every event two or three times over. <see cref="ResourceSources"/> read that
/// stream with <see cref="WatchEventReader{T}"/>: each event's object is decoded once, or not at
/// all when the informer already holds its version. Every other call is KubernetesClient's own.
/// </summary>
public class WatchClient : Kubernetes
{
    /// <summary>A client for <paramref name="config"/>, sending through <paramref name="handlers"/> as KubernetesClient does.</summary>
    public WatchClient(KubernetesClientConfiguration config, params DelegatingHandler[] handlers)
        : base(config, handlers)
    {
    }

    /// <inheritdoc/>
    protected override Task<HttpOperationResponse<T>> CreateResultAsync<T>(
        HttpRequestMessage httpRequest, HttpResponseMessage httpResponse, bool? watch, CancellationToken cancellationToken) =>
        watch == true
            ? Task.FromResult(new HttpOperationResponse<T> { Request = httpRequest, Response = httpResponse })
            : base.CreateResultAsync<T>(httpRequest, httpResponse, watch, cancellationToken);
}
