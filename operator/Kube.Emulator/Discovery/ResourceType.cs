using Kube.Emulator.Storage;
using Kube.Emulator.Strategies;

namespace Kube.Emulator.Discovery;

/// <summary>One served resource in one API version: its names, scope, subresources, behaviour and storage.</summary>
internal sealed class ResourceType
{
    private static readonly string[] AllVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    public required string Group { get; init; }

    public required string Version { get; init; }

    public required string Kind { get; init; }

    public required string Plural { get; init; }

    public string Singular { get; init; } = string.Empty;

    public bool Namespaced { get; init; } = true;

    public IReadOnlyList<string> ShortNames { get; init; } = [];

    public IReadOnlyList<string> Categories { get; init; } = [];

    public IReadOnlyList<string> Verbs { get; init; } = AllVerbs;

    public bool HasStatus { get; init; }

    /// <summary>Whether the autoscaling/v1 Scale subresource is served (Deployments: spec.replicas).</summary>
    public bool HasScale { get; init; }

    public required ObjectStrategy Strategy { get; init; }

    public required ResourceStore Store { get; init; }

    /// <summary>For custom resources, the CRD's name (plural.group); null for built-ins.</summary>
    public string? CrdName { get; init; }

    /// <summary>For custom resources, the per-version schema, printer columns and validation.</summary>
    public CustomResourceVersion? Custom { get; init; }

    public string ApiVersion => Group.Length == 0 ? Version : Group + "/" + Version;

    public string ListKind => Kind + "List";

    /// <summary>e.g. secrets, or sshtunnelconnections.sshtunnels.io, as in NotFound and Conflict messages.</summary>
    public string QualifiedResource => Group.Length == 0 ? Plural : Plural + "." + Group;

    /// <summary>e.g. Secret, or SshTunnelConnection.sshtunnels.io, as in Invalid messages.</summary>
    public string QualifiedKind => Group.Length == 0 ? Kind : Kind + "." + Group;

    public string SingularName => Singular.Length > 0 ? Singular : Kind.ToLowerInvariant();

    public string KeyOf(string? namespaceName, string name) => Namespaced ? namespaceName + "/" + name : name;
}
