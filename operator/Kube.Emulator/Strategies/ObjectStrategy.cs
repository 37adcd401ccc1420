using System.Text.Json.Nodes;
using Kube.Emulator.Discovery;
using Kube.Emulator.Storage;

namespace Kube.Emulator.Strategies;

/// <summary>Kind-specific behaviour on top of the generic registry (the API server's REST strategies).</summary>
internal class ObjectStrategy
{
    public static readonly ObjectStrategy Plain = new();

    public static readonly ObjectStrategy WithGeneration = new() { TracksGeneration = true };

    /// <summary>Roles and bindings: names are path segments (system:discovery is valid), not DNS subdomains.</summary>
    public static readonly ObjectStrategy PathSegmentNames = new() { NameIsPathSegment = true };

    /// <summary>Whether metadata.generation exists and moves with spec changes.</summary>
    public bool TracksGeneration { get; init; }

    /// <summary>Whether PUT without metadata.resourceVersion is accepted.</summary>
    public virtual bool AllowUnconditionalUpdate => true;

    /// <summary>Whether DELETE answers with the deleted object rather than a Success Status.</summary>
    public virtual bool ReturnDeletedObject => false;

    /// <summary>Whether strategic merge patch is understood (built-in types only).</summary>
    public virtual bool SupportsStrategicMerge => true;

    public virtual bool NameIsLabel => false;

    /// <summary>Whether any name is valid that is not . or .. and has no / or % (ValidatePathSegmentName).</summary>
    public bool NameIsPathSegment { get; init; }

    public virtual void PrepareForCreate(ResourceType type, JsonObject obj)
    {
    }

    public virtual void PrepareForUpdate(ResourceType type, JsonObject obj, JsonObject old)
    {
    }

    public virtual IEnumerable<FieldProblem> Validate(ResourceType type, JsonObject obj, JsonObject? old) => [];

    /// <summary>Runs after a successful commit, e.g. a CRD registering its resources.</summary>
    public virtual void Committed(ResourceType type, StoredObject? after, StoredObject? before)
    {
    }
}
