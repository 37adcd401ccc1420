using System.Text.Json.Nodes;
using SshTunnel.Core.Model;
using SshTunnel.Core.Reconciliation;
using SshTunnel.Core.Secrets;

namespace SshTunnel.Core.PortForwards;

/// <summary>
/// The decision for one <c>SshPortForward</c>: which of its Deployment and Service to write,
/// the status (Ready, and Reconciling or Stalled while one holds) and the Events. Pure, and
/// idempotent: deciding again on the state a plan produced gives an empty plan.
/// </summary>
public static class PortForwardReconciler
{
    public static PortForwardPlan Decide(PortForwardInput input)
    {
        var resource = input.Resource;
        var conditions = new ConditionFactory(resource.Status?.Conditions, resource.Generation, input.Now);
        var deploymentName = PortForwardNames.DeploymentName(resource.Name);
        var serviceName = PortForwardNames.ServiceName(resource.Name);
        var deploymentConflict = input.Deployment is { } foundDeployment && WorkloadMetadata.ControllerUid(foundDeployment) != resource.Uid;
        var serviceConflict = input.Service is { } foundService && WorkloadMetadata.ControllerUid(foundService) != resource.Uid;
        var connectionReady = input.Connection is { KeysPublished: true, SecretPresent: true };

        var deploymentWrite = connectionReady && !deploymentConflict
            ? Write(
                input.Deployment,
                ForwarderDeploymentTemplate.Build(resource, KeySecretLayout.SecretName(resource.Spec.ConnectionName), input.Forwarder),
                "Deployment",
                deploymentName,
                PortForwardReasons.DeploymentCreated,
                PortForwardReasons.DeploymentUpdated)
            : null;
        var serviceWrite = connectionReady && !serviceConflict
            ? Write(input.Service, ForwarderServiceTemplate.Build(resource), "Service", serviceName, PortForwardReasons.ServiceCreated, PortForwardReasons.ServiceUpdated)
            : null;

        var progress = input.Deployment is { } deployment && !deploymentConflict ? DeploymentProgress.Of(deployment) : null;
        var ready = Ready(input, conditions, deploymentConflict, serviceConflict, connectionReady, progress, rollingOut: deploymentWrite is not null);
        var published = new List<Condition> { ready };
        if (Abnormal(conditions, ready, progress, resource.Spec.Replicas, deploymentWrite is not null) is { } abnormal)
        {
            published.Add(abnormal);
        }

        var status = new PortForwardStatus
        {
            ObservedGeneration = resource.Generation,
            Replicas = progress?.Replicas ?? 0,
            ReadyReplicas = progress?.ReadyReplicas ?? 0,
            Selector = PortForwardNames.Selector(resource.Name),
            LocalAddress = input.LocalAddress,
            Conditions = published,
        };

        var changed = !status.Equals(resource.Status);
        return new PortForwardPlan
        {
            Deployment = deploymentWrite,
            Service = serviceWrite,
            Status = changed ? status : null,
            Events = changed ? TransitionEvents(resource.Status, ready) : [],
            ReadByName = deploymentConflict || serviceConflict,
        };
    }

    private static WorkloadWrite? Write(JsonObject? existing, JsonObject desired, string kind, string name, string created, string updated)
    {
        if (existing is null)
        {
            return new WorkloadWrite(WorkloadWriteKind.Create, desired, new PlannedEvent(EventType.Normal, created, $"Created {kind} {name}"));
        }

        return OwnedFields.Cover(desired, existing)
            ? null
            : new WorkloadWrite(WorkloadWriteKind.Update, OwnedFields.Overlay(existing, desired), new PlannedEvent(EventType.Normal, updated, $"Updated {kind} {name} to the spec"));
    }

    private static Condition Ready(
        PortForwardInput input, ConditionFactory conditions, bool deploymentConflict, bool serviceConflict, bool connectionReady, DeploymentProgress? progress, bool rollingOut)
    {
        var resource = input.Resource;
        var connection = resource.Spec.ConnectionName;
        var deploymentName = PortForwardNames.DeploymentName(resource.Name);
        var wanted = resource.Spec.Replicas;
        (string Status, string Reason, string Message) ready = true switch
        {
            _ when input.Connection is null => (ConditionFactory.False, PortForwardReasons.ConnectionNotFound,
                $"SshTunnelConnection {connection} does not exist in namespace {resource.Namespace}: create it, or set spec.connectionName to an existing one"),
            _ when deploymentConflict => (ConditionFactory.False, PortForwardReasons.DeploymentConflict,
                $"Deployment {deploymentName} exists and is not controlled by this SshPortForward; it is never overwritten: delete or rename it"),
            _ when serviceConflict => (ConditionFactory.False, PortForwardReasons.ServiceConflict,
                $"Service {PortForwardNames.ServiceName(resource.Name)} exists and is not controlled by this SshPortForward; it is never overwritten: delete or rename it"),
            _ when !connectionReady => (ConditionFactory.False, PortForwardReasons.ConnectionNotReady, input.Connection!.KeysPublished
                ? $"the key Secret {KeySecretLayout.SecretName(connection)} of SshTunnelConnection {connection} does not exist; its operator recreates it, the forwarders start then"
                : $"SshTunnelConnection {connection} has not published its keys yet; the forwarders start once it has"),
            _ when progress is { ProgressDeadlineExceeded: true } && progress.ObservedGeneration >= progress.Generation && !rollingOut =>
                (ConditionFactory.False, PortForwardReasons.ProgressDeadlineExceeded,
                    $"Deployment {deploymentName} did not roll out within its progress deadline: see its pods' events and logs"),
            _ when wanted == 0 => (ConditionFactory.True, PortForwardReasons.ScaledToZero, "spec.replicas is 0: the Service stays, no forwarder runs"),
            _ when progress is { ReadyReplicas: > 0 } => (ConditionFactory.True, PortForwardReasons.Available,
                $"{progress.ReadyReplicas} of {wanted} forwarders ready: Service {PortForwardNames.ServiceName(resource.Name)} forwards {Ports(resource.Spec)}"),
            _ => (ConditionFactory.False, PortForwardReasons.ForwardersNotReady,
                $"0 of {wanted} forwarders ready: none holds an authenticated session to the bastion of {connection} yet (see the pods' logs)"),
        };
        return conditions.Make(ConditionTypes.Ready, ready.Status, ready.Reason, ready.Message);
    }

    /// <summary>Stalled while only a person can help, Reconciling while Ready is False otherwise or a rollout is under way; null when neither.</summary>
    private static Condition? Abnormal(ConditionFactory conditions, Condition ready, DeploymentProgress? progress, int wanted, bool rollingOut)
    {
        if (ready.Status != ConditionFactory.True)
        {
            return conditions.Make(
                PortForwardReasons.Permanent.Contains(ready.Reason) ? ConditionTypes.Stalled : ConditionTypes.Reconciling,
                ConditionFactory.True,
                ready.Reason,
                ready.Message);
        }

        if (rollingOut || (progress is not null && !progress.RolledOut(wanted)))
        {
            var updated = rollingOut || progress is null ? 0 : Math.Min(progress.UpdatedReplicas, progress.ReadyReplicas);
            return conditions.Make(ConditionTypes.Reconciling, ConditionFactory.True, PortForwardReasons.RollingOut,
                $"rolling out: {updated} of {wanted} forwarders updated and ready");
        }

        return null;
    }

    private static IReadOnlyList<PlannedEvent> TransitionEvents(PortForwardStatus? published, Condition ready)
    {
        var before = published?.Conditions.FirstOrDefault(condition => condition.Type == ConditionTypes.Ready);
        if (before is not null && before.Status == ready.Status && before.Reason == ready.Reason)
        {
            return [];
        }

        if (ready.Status == ConditionFactory.True)
        {
            return [new PlannedEvent(EventType.Normal, ready.Reason, ready.Message)];
        }

        return ready.Reason == PortForwardReasons.ForwardersNotReady ? [] : [new PlannedEvent(EventType.Warning, ready.Reason, ready.Message)];
    }

    private static string Ports(PortForwardSpec spec) =>
        string.Join(", ", spec.Forwards.Select(forward => $"{forward.Name} ({forward.Port} to {forward.TargetHost}:{forward.TargetPort})"));
}
