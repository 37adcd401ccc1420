namespace Kube.Controller.Idle;

/// <summary>A cache that follows the API server: an informer.</summary>
public interface ICacheProgress
{
    /// <summary>Null when the cache has seen every change up to <paramref name="resourceVersion"/>; else how far it is, in words.</summary>
    string? Behind(long resourceVersion);
}
