using Kube.Emulator.Strategies;

namespace Kube.Emulator.Discovery;

/// <summary>The built-in kinds the emulator serves with generic semantics, enough for the operator and a Helm chart.</summary>
internal static class BuiltInResources
{
    private static readonly string[] NamespaceVerbs = ["create", "delete", "get", "list", "patch", "update", "watch"];
    private static readonly string[] All = ["all"];
    private static readonly string[] CreateOnly = ["create"];

    public static void Register(ResourceRegistry registry, CrdStrategy crdStrategy)
    {
        ResourceType Type(string group, string version, string kind, string plural, ObjectStrategy strategy, bool namespaced = true, string[]? shortNames = null, bool status = false, string[]? categories = null, string[]? verbs = null, bool scale = false) =>
            new()
            {
                Group = group,
                Version = version,
                Kind = kind,
                Plural = plural,
                Singular = kind.ToLowerInvariant(),
                Namespaced = namespaced,
                ShortNames = shortNames ?? [],
                Categories = categories ?? [],
                HasStatus = status,
                HasScale = scale,
                Strategy = strategy,
                Store = registry.StoreFor(group, plural),
                Verbs = verbs ?? ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
            };

        registry.Add(
        [
            Type(string.Empty, "v1", "Namespace", "namespaces", new NamespaceStrategy(), namespaced: false, shortNames: ["ns"], status: true, verbs: NamespaceVerbs),
            Type(string.Empty, "v1", "ConfigMap", "configmaps", ObjectStrategy.Plain, shortNames: ["cm"]),
            Type(string.Empty, "v1", "Event", "events", ObjectStrategy.Plain, shortNames: ["ev"]),
            Type(string.Empty, "v1", "Secret", "secrets", new SecretStrategy()),
            Type(string.Empty, "v1", "ServiceAccount", "serviceaccounts", ObjectStrategy.Plain, shortNames: ["sa"]),
            Type(string.Empty, "v1", "Service", "services", ObjectStrategy.Plain, shortNames: ["svc"], status: true, categories: All),
            Type("apps", "v1", "Deployment", "deployments", ObjectStrategy.WithGeneration, shortNames: ["deploy"], status: true, categories: All, scale: true),
            Type("coordination.k8s.io", "v1", "Lease", "leases", ObjectStrategy.Plain),
            Type("events.k8s.io", "v1", "Event", "events", ObjectStrategy.Plain, shortNames: ["ev"]),
            Type("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", ObjectStrategy.PathSegmentNames, namespaced: false),
            Type("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", ObjectStrategy.PathSegmentNames, namespaced: false),
            Type("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", ObjectStrategy.PathSegmentNames),
            Type("rbac.authorization.k8s.io", "v1", "Role", "roles", ObjectStrategy.PathSegmentNames),
            Type("authorization.k8s.io", "v1", "SelfSubjectAccessReview", "selfsubjectaccessreviews", ObjectStrategy.Plain, namespaced: false, verbs: CreateOnly),
            Type("authorization.k8s.io", "v1", "SubjectAccessReview", "subjectaccessreviews", ObjectStrategy.Plain, namespaced: false, verbs: CreateOnly),
            Type("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", ObjectStrategy.WithGeneration, shortNames: ["pdb"], status: true),
            Type("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", crdStrategy, namespaced: false, shortNames: ["crd", "crds"], status: true),
        ]);
    }
}
