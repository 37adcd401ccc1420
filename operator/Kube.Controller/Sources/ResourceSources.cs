using k8s.Models;

namespace Kube.Controller.Sources;

/// <summary>
/// The list-watch sources of the resource types a controller commonly caches, each calling the
/// API through a <see cref="ControllerClient"/>.
/// </summary>
public static class ResourceSources
{
    /// <summary>Custom objects of one group, version and plural, read as <typeparamref name="T"/>.</summary>
    public static IResourceSource<T> CustomResources<T>(ControllerClient client, string group, string version, string plural)
        where T : class =>
        new ListWatchSource<T, ResourceList<T>>((request, token) => request.Namespace is null
            ? client.CustomObjects.ListCustomObjectForAllNamespacesWithHttpMessagesAsync<ResourceList<T>>(
                group, version, plural, allowWatchBookmarks: request.AllowWatchBookmarks, continueParameter: request.Continue,
                limit: request.Limit, resourceVersion: request.ResourceVersion, timeoutSeconds: request.TimeoutSeconds,
                watch: request.WatchParameter, cancellationToken: token)
            : client.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync<ResourceList<T>>(
                group, version, request.Namespace, plural, allowWatchBookmarks: request.AllowWatchBookmarks, continueParameter: request.Continue,
                limit: request.Limit, resourceVersion: request.ResourceVersion, timeoutSeconds: request.TimeoutSeconds,
                watch: request.WatchParameter, cancellationToken: token));

    /// <summary>The Secrets that match <paramref name="labelSelector"/>.</summary>
    public static IResourceSource<V1Secret> Secrets(ControllerClient client, string labelSelector) =>
        new ListWatchSource<V1Secret, V1SecretList>((request, token) => request.Namespace is null
            ? client.CoreV1.ListSecretForAllNamespacesWithHttpMessagesAsync(
                allowWatchBookmarks: request.AllowWatchBookmarks, continueParameter: request.Continue, labelSelector: labelSelector,
                limit: request.Limit, resourceVersion: request.ResourceVersion, timeoutSeconds: request.TimeoutSeconds,
                watch: request.WatchParameter, cancellationToken: token)
            : client.CoreV1.ListNamespacedSecretWithHttpMessagesAsync(
                request.Namespace, allowWatchBookmarks: request.AllowWatchBookmarks, continueParameter: request.Continue, labelSelector: labelSelector,
                limit: request.Limit, resourceVersion: request.ResourceVersion, timeoutSeconds: request.TimeoutSeconds,
                watch: request.WatchParameter, cancellationToken: token));

    /// <summary>The Deployments that match <paramref name="labelSelector"/>.</summary>
    public static IResourceSource<V1Deployment> Deployments(ControllerClient client, string labelSelector) =>
        new ListWatchSource<V1Deployment, V1DeploymentList>((request, token) => request.Namespace is null
            ? client.AppsV1.ListDeploymentForAllNamespacesWithHttpMessagesAsync(
                allowWatchBookmarks: request.AllowWatchBookmarks, continueParameter: request.Continue, labelSelector: labelSelector,
                limit: request.Limit, resourceVersion: request.ResourceVersion, timeoutSeconds: request.TimeoutSeconds,
                watch: request.WatchParameter, cancellationToken: token)
            : client.AppsV1.ListNamespacedDeploymentWithHttpMessagesAsync(
                request.Namespace, allowWatchBookmarks: request.AllowWatchBookmarks, continueParameter: request.Continue, labelSelector: labelSelector,
                limit: request.Limit, resourceVersion: request.ResourceVersion, timeoutSeconds: request.TimeoutSeconds,
                watch: request.WatchParameter, cancellationToken: token));

    /// <summary>The Services that match <paramref name="labelSelector"/>.</summary>
    public static IResourceSource<V1Service> Services(ControllerClient client, string labelSelector) =>
        new ListWatchSource<V1Service, V1ServiceList>((request, token) => request.Namespace is null
            ? client.CoreV1.ListServiceForAllNamespacesWithHttpMessagesAsync(
                allowWatchBookmarks: request.AllowWatchBookmarks, continueParameter: request.Continue, labelSelector: labelSelector,
                limit: request.Limit, resourceVersion: request.ResourceVersion, timeoutSeconds: request.TimeoutSeconds,
                watch: request.WatchParameter, cancellationToken: token)
            : client.CoreV1.ListNamespacedServiceWithHttpMessagesAsync(
                request.Namespace, allowWatchBookmarks: request.AllowWatchBookmarks, continueParameter: request.Continue, labelSelector: labelSelector,
                limit: request.Limit, resourceVersion: request.ResourceVersion, timeoutSeconds: request.TimeoutSeconds,
                watch: request.WatchParameter, cancellationToken: token));
}
