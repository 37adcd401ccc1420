namespace Kube.Controller.Caching;

/// <summary>Why an informer reports an object.</summary>
public enum ResourceEventType
{
    Added,
    Updated,
    Deleted,

    /// <summary>The periodic resync: nothing changed, the object is handed out again.</summary>
    Resync,
}
