using System.Text.Json;
using System.Text.Json.Nodes;

namespace SshTunnel.Core.Tests.Support;

/// <summary>
/// The status kstatus (kubernetes-sigs/cli-utils, pkg/kstatus/status; used by Flux's
/// <c>wait: true</c> and health checks, kpt and Config Sync) computes for a custom resource,
/// restated from the rules in its source; the code is ours.
/// </summary>
internal static class Kstatus
{
    public const string InProgress = "InProgress";
    public const string Failed = "Failed";
    public const string Current = "Current";
    public const string Terminating = "Terminating";

    /// <summary>
    /// status.go, <c>Compute</c>: the generic properties first (<see cref="GenericProperties"/>);
    /// then the legacy rules of <c>GetLegacyConditionsFn</c> (core.go), which know only built-in
    /// kinds (Deployment, Pod, Service, CustomResourceDefinition, ...) and none of ours; then
    /// <see cref="ReadyCondition"/>; else Current ("Resource is current").
    /// </summary>
    public static string Compute(JsonObject resource) =>
        GenericProperties(resource) ?? ReadyCondition(resource) ?? Current;

    /// <summary>
    /// generic.go, <c>checkGenericProperties</c>: a non-empty <c>metadata.deletionTimestamp</c>
    /// is Terminating; then <c>checkGeneration</c>: when <c>metadata.generation</c> and
    /// <c>status.observedGeneration</c> are both present and differ, InProgress (an absent
    /// observedGeneration skips the check); then the conditions in their order, the first
    /// <c>Reconciling</c> True is InProgress and the first <c>Stalled</c> True is Failed.
    /// </summary>
    private static string? GenericProperties(JsonObject resource)
    {
        if (resource["metadata"]?["deletionTimestamp"]?.GetValue<string>() is { Length: > 0 })
        {
            return Terminating;
        }

        if (resource["metadata"]?["generation"] is { } generation
            && resource["status"]?["observedGeneration"] is { } observed
            && generation.GetValue<long>() != observed.GetValue<long>())
        {
            return InProgress;
        }

        foreach (var condition in Conditions(resource))
        {
            if (condition is { Type: "Reconciling", Status: "True" })
            {
                return InProgress;
            }

            if (condition is { Type: "Stalled", Status: "True" })
            {
                return Failed;
            }
        }

        return null;
    }

    /// <summary>
    /// status.go, <c>checkReadyCondition</c> (since cli-utils v0.10.0): a <c>Ready</c> condition
    /// True is Current, False or Unknown InProgress; no Ready condition decides nothing.
    /// </summary>
    private static string? ReadyCondition(JsonObject resource) =>
        Conditions(resource).Where(c => c.Type == "Ready").Select(c => c.Status).FirstOrDefault() switch
        {
            "True" => Current,
            "False" or "Unknown" => InProgress,
            _ => null,
        };

    private static IEnumerable<(string? Type, string? Status)> Conditions(JsonObject resource) =>
        resource["status"]?["conditions"]?.AsArray().Select(c => (c?["type"]?.GetValue<string>(), c?["status"]?.GetValue<string>())) ?? [];

    /// <summary>The resource as the API server serves it: apiVersion, kind, metadata, and the status as the operator writes it.</summary>
    public static JsonObject Served(ReconcileWorld world, string? deletionTimestamp = null)
    {
        var metadata = new JsonObject
        {
            ["name"] = ReconcileWorld.Name,
            ["namespace"] = ReconcileWorld.Namespace,
            ["uid"] = ReconcileWorld.Uid,
            ["generation"] = world.Generation,
        };
        if (deletionTimestamp is not null)
        {
            metadata["deletionTimestamp"] = deletionTimestamp;
        }

        var resource = new JsonObject
        {
            ["apiVersion"] = "sshtunnels.io/v1alpha1",
            ["kind"] = "SshTunnelConnection",
            ["metadata"] = metadata,
            ["spec"] = JsonSerializer.SerializeToNode(world.Spec),
        };
        if (world.Status is { } status)
        {
            resource["status"] = JsonSerializer.SerializeToNode(status);
        }

        return resource;
    }
}
