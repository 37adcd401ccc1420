using SshTunnel.Core.Model;
using SshTunnel.Core.Rotation;
using SshTunnel.Core.Secrets;

namespace SshTunnel.Core.Reconciliation;

/// <summary>
/// The decision at the heart of the operator: from a connection, its key Secret and its last
/// probe, what to write, publish, emit and probe. Pure: the same input gives the same plan,
/// and deciding again on the state a plan produced gives an empty plan. Each rule lives in a
/// file of its own; this is the order they are applied in.
/// </summary>
public static class ConnectionReconciler
{
    /// <summary>
    /// Decides what to do for one connection. <see cref="PlanExecutor"/> carries the plan out. A
    /// Secret known only by its <see cref="KeySecretVerdict"/> gives the plan the whole Secret
    /// would give (a rotation written as a <see cref="SecretWriteKind.Promote"/> patch instead of
    /// a replace), or <see cref="ReconcilePlan.NeedsWholeSecret"/> when that plan would write the
    /// Secret otherwise, probe with its keys, or cannot be told without the Secret's data.
    /// </summary>
    public static ReconcilePlan Decide(ReconcileInput input)
    {
        var resource = input.Resource;
        var now = StatusRules.WholeSeconds(input.Now);
        var conditions = new ConditionFactory(resource.Status?.Conditions, resource.Generation, now);
        var token = RotationToken.Parse(resource.Annotations.GetValueOrDefault(ResourceNames.RotateKeysAnnotation));
        var secretName = KeySecretLayout.SecretName(resource.Name);

        if (input.Secret is { } existing && SecretAdoption.Conflict(resource, existing) is { } conflict)
        {
            return BlockedPath.Plan(resource, conditions, token, ConditionReasons.SecretConflict, conflict);
        }

        KeySecret content;
        var storedRotations = 0L;
        (string Reason, string Message)? rotationWaits = null;
        KeySecret? recalled = null;
        if (input.Secret is { Verdict: { } verdict })
        {
            // Without the Secret's data, decide only when status shows exactly its public content and no probe
            // history compares private keys; anything else needs the Secret itself.
            recalled = input.LastProbe is null ? verdict.Recall(resource.Status) : null;
            if (recalled is null)
            {
                return ReconcilePlan.WholeSecretNeeded;
            }
        }

        if (input.Secret is { } snapshot)
        {
            var read = recalled is null ? KeySecretCodec.Read(snapshot) : new KeySecretReadResult(recalled, null);
            if (read.Secret is null)
            {
                return BlockedPath.Plan(
                    resource,
                    conditions,
                    token,
                    ConditionReasons.SecretInvalid,
                    $"Secret {secretName} is invalid: {read.Problem}. The keys are left untouched: correct the Secret, or delete the Secret to generate new keys (their public keys must then be installed on the bastion).");
            }

            var stored = SecretAdoption.IsAdopting(resource, snapshot, read.Secret) ? KeyRotation.Adopted(read.Secret, token) : read.Secret;
            storedRotations = stored.Rotation.Count;
            var request = RotationRequest.Pending(token, stored, resource.Spec.Rotation, snapshot.CreationTimestamp, now);
            rotationWaits = RotationGuardRule.Check(input, stored, request, conditions);
            if (recalled is not null && request is not null && rotationWaits is null && resource.Spec.Validate)
            {
                // The rotated keys are probed next, with their private keys: the Secret is needed anyway.
                return ReconcilePlan.WholeSecretNeeded;
            }

            content = rotationWaits is null ? KeyRotation.Apply(stored, request, input, now) : stored;
        }
        else
        {
            content = KeyRotation.FirstContent(input, token);
        }

        var spec = resource.Spec;
        var expectedProbe = ProbeSchedule.Request(resource, content);
        var probe = ProbeSchedule.Matching(input, expectedProbe);
        content = ConnectionPromotion.Apply(content, spec, probe, spec.Validate ? input.LastProbe : null);

        var write = recalled is null
            ? SecretWritePlanning.Plan(resource, input.Secret, content, storedRotations)
            : SecretWritePlanning.Promotion(resource, input.Secret!, recalled, content);
        var status = StatusRules.Build(resource, conditions, content, token, probe, rotationWaits);
        var (probeToRun, requeue, nextValidation) = spec.Validate ? ProbeSchedule.Next(input, expectedProbe, probe, status) : (null, null, null);
        if (recalled is not null && (probeToRun is not null || (write is null && !SecretWritePlanning.Unchanged(resource, input.Secret!, recalled, content))))
        {
            return ReconcilePlan.WholeSecretNeeded;
        }

        var nextRotation = RotationRequest.NextTime(content, spec.Rotation, input.Secret?.CreationTimestamp ?? now);
        if (nextRotation - now is { } untilRotation && untilRotation > TimeSpan.Zero && (requeue is null || untilRotation < requeue))
        {
            requeue = untilRotation;
        }

        var revalidated = spec.Validate ? ProbeSchedule.RevalidateHandled(input) : null;
        status = status with
        {
            NextValidationTime = nextValidation,
            Rotation = status.Rotation is { } rotation ? rotation with { NextRotationTime = nextRotation } : null,
            Revalidation = revalidated is null ? null : new RevalidationStatus { Handled = revalidated },
        };
        var events = StatusEvents.Between(resource, secretName, resource.Status, status, token);
        if (input.Secret is { } adopted && SecretAdoption.IsAdoptable(adopted) && resource.Status?.PublicKey1 != status.PublicKey1)
        {
            events = [KeysAdoptedEvent(secretName, resource, status), .. events.Where(e => e.Reason is not (EventReasons.KeysGenerated or EventReasons.KeysRegenerated))];
        }

        return new ReconcilePlan(write, status.Equals(resource.Status) ? null : status, events, probeToRun, requeue);
    }

    private static PlannedEvent KeysAdoptedEvent(string secretName, ConnectionResource resource, ConnectionStatus status) => new(
        EventType.Normal,
        EventReasons.KeysAdopted,
        $"Adopted the keys of the existing Secret {secretName} (rotation {status.Rotation?.Count ?? 0}, handled {ResourceNames.RotateKeysAnnotation}={status.Rotation?.Handled ?? "none"}): the bastion keeps trusting them. Under secretPolicy {resource.Spec.SecretPolicy} the Secret {(resource.Spec.SecretPolicy == SecretPolicy.Retain ? "stays without an owner and outlives this connection" : "is now owned by this connection and is deleted with it")}.");
}
