using SshTunnel.Core.Keys;
using SshTunnel.Core.Model;
using SshTunnel.Core.Rotation;
using SshTunnel.Core.Secrets;
using SshTunnel.Core.Validation;

namespace SshTunnel.Core.Reconciliation;

/// <summary>
/// The decision at the heart of the operator: from a connection, its key Secret and its last
/// probe, what to write, publish, emit and probe. Pure: the same input gives the same plan,
/// and deciding again on the state a plan produced gives an empty plan.
/// </summary>
public static class ConnectionReconciler
{
    /// <summary>Decides what to do for one connection. See <see cref="ReconcilePlan"/> for how to carry it out.</summary>
    public static ReconcilePlan Decide(ReconcileInput input)
    {
        var resource = input.Resource;
        var now = WholeSeconds(input.Now);
        var conditions = new ConditionFactory(resource.Status, resource.Generation, now);
        var token = RotationToken.Parse(resource.Annotations.GetValueOrDefault(ResourceNames.RotateKeysAnnotation));
        var secretName = KeySecretLayout.SecretName(resource.Name);

        if (input.Secret is { } foreign && foreign.ControllerOwnerUid != resource.Uid)
        {
            return Blocked(
                resource,
                conditions,
                token,
                ConditionReasons.SecretConflict,
                $"Secret {secretName} exists but is not controlled by this SshTunnelConnection (no controller ownerReference with uid {resource.Uid}), so it is left untouched. Delete or rename that Secret and the operator creates its own.");
        }

        KeySecret content;
        var storedRotations = 0L;
        if (input.Secret is { } snapshot)
        {
            var read = KeySecretCodec.Read(snapshot);
            if (read.Secret is null)
            {
                return Blocked(
                    resource,
                    conditions,
                    token,
                    ConditionReasons.SecretInvalid,
                    $"Secret {secretName} is invalid: {read.Problem}. The keys are left untouched; delete the Secret to generate new keys (their public keys must then be installed on the bastion).");
            }

            content = read.Secret;
            storedRotations = content.Rotation.Count;
            if (token.IsNewerThan(content.Rotation.Handled))
            {
                content = content with
                {
                    Key1 = content.Key2,
                    Key2 = NewKeyPair(input),
                    Rotation = new RotationStatus { Handled = token.Canonical, Count = content.Rotation.Count + 1, LastRotationTime = now },
                };
            }
        }
        else
        {
            content = FirstContent(input, token);
        }

        var spec = resource.Spec;
        var desired = spec.ToParameters();
        var expectedProbe = new ProbeRequest(desired, content.Key1.PrivateKey, content.Key2.PrivateKey, Pin(spec));
        var probe = spec.Validate && input.LastProbe is { } last && last.Request == expectedProbe && last.Result.Connection == desired ? last : null;

        content = ApplyConnection(content, spec, probe, spec.Validate ? input.LastProbe : null);

        var write = PlanWrite(resource, input.Secret, content, storedRotations);
        var status = BuildStatus(resource, conditions, content, token, probe);
        var events = StatusEvents.Between(resource, secretName, resource.Status, status, token);
        var (probeToRun, requeue) = spec.Validate ? Schedule(input, expectedProbe, probe, status) : (null, null);
        return new ReconcilePlan(write, status.Equals(resource.Status) ? null : status, events, probeToRun, requeue);
    }

    internal static DateTimeOffset WholeSeconds(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    private static string? Pin(ConnectionSpec spec) => string.IsNullOrWhiteSpace(spec.HostKey) ? null : spec.HostKey.Trim();

    private static KeyPair NewKeyPair(ReconcileInput input)
    {
        var pair = input.KeyPairs.Create(input.Resource.KeyComment);
        return pair with { PublicKey = pair.PublicKey.Trim() };
    }

    /// <summary>
    /// The content of a Secret that is missing: new keys, with the rotation state and (when
    /// validating) the connection in effect carried over from status, so a deleted Secret
    /// neither rotates nor forgets its count. The current annotation counts as handled.
    /// </summary>
    private static KeySecret FirstContent(ReconcileInput input, RotationToken token)
    {
        var status = input.Resource.Status;
        var spec = input.Resource.Spec;
        return new KeySecret(
            NewKeyPair(input),
            NewKeyPair(input),
            spec.Validate ? status?.Connection : spec.ToParameters(),
            null,
            new RotationStatus
            {
                Handled = RotationToken.Max(status?.Rotation?.Handled, token.Canonical),
                Count = status?.Rotation?.Count ?? 0,
                LastRotationTime = status?.Rotation?.LastRotationTime,
            });
    }

    /// <summary>
    /// Moves the connection in effect to the spec's (at once without validation, after a
    /// successful login with key 1 with validation) and keeps <c>known_hosts</c> in step with
    /// what the bastion of the connection in effect presented.
    /// </summary>
    private static KeySecret ApplyConnection(KeySecret content, ConnectionSpec spec, ProbeHistory? matchingProbe, ProbeHistory? lastProbe)
    {
        var desired = spec.ToParameters();
        if (content.Connection != desired && (!spec.Validate || matchingProbe?.Result.Key1.Authenticated == true))
        {
            var sameBastion = content.Connection is { } previous && previous.Host == desired.Host && previous.Port == desired.Port;
            content = content with { Connection = desired, KnownHosts = sameBastion ? content.KnownHosts : null };
        }

        if (lastProbe is { Result: var result } && lastProbe.Request.Connection == content.Connection
            && result.Key1.Outcome != ProbeOutcome.HostKeyMismatch
            && SshPublicKey.TryParse(result.HostKey, out var hostKey, out _))
        {
            content = content with { KnownHosts = KnownHostsLine.Format(lastProbe.Request.Connection, hostKey) };
        }

        return content;
    }

    private static SecretWrite? PlanWrite(ConnectionResource resource, SecretSnapshot? existing, KeySecret content, long storedRotations)
    {
        var contents = KeySecretCodec.Build(resource.Namespace, resource.Name, resource.Uid, content, existing);
        return existing switch
        {
            null => new SecretWrite(SecretWriteKind.Create, contents, null),
            _ when contents.IsSatisfiedBy(existing) => null,
            _ => new SecretWrite(SecretWriteKind.Replace, contents, existing.ResourceVersion, content.Rotation.Count - storedRotations),
        };
    }

    private static ConnectionStatus BuildStatus(
        ConnectionResource resource,
        ConditionFactory conditions,
        KeySecret content,
        RotationToken token,
        ProbeHistory? probe)
    {
        var spec = resource.Spec;
        var desired = spec.ToParameters();
        var current = resource.Status;
        var validation = ValidationView.Of(spec, content, current, probe, conditions);
        var ready = ReadyCondition(conditions, content, desired, spec.Validate, token, validation);

        return new ConnectionStatus
        {
            ObservedGeneration = resource.Generation,
            PublicKey1 = content.Key1.PublicKey,
            PublicKey2 = content.Key2.PublicKey,
            PublicKey1Fingerprint = Fingerprint(content.Key1),
            PublicKey2Fingerprint = Fingerprint(content.Key2),
            Rotation = content.Rotation,
            Connection = content.Connection,
            HostKeyFingerprint = HostKeyFingerprint(content, desired, probe, spec.Validate),
            LastValidationTime = validation.LastValidationTime,
            Conditions = [ready, validation.Validated, validation.SecondaryKeyAuthorized],
        };
    }

    private static string? Fingerprint(KeyPair pair) =>
        SshPublicKey.TryParse(pair.PublicKey, out var key, out _) ? key.Fingerprint : null;

    private static string? HostKeyFingerprint(KeySecret content, ConnectionParameters desired, ProbeHistory? probe, bool validate)
    {
        if (validate && probe?.Result.HostKeyFingerprint is { } presented)
        {
            return presented;
        }

        return content.Connection == desired && content.KnownHosts is { } line
            && SshPublicKey.TryParse(line.Split(' ', 2)[^1], out var hostKey, out _)
            ? hostKey.Fingerprint
            : null;
    }

    private static Condition ReadyCondition(
        ConditionFactory conditions,
        KeySecret content,
        ConnectionParameters desired,
        bool validate,
        RotationToken token,
        ValidationView validation)
    {
        var problems = new List<(string Reason, string Message)>();
        if (token.Problem is { } tokenProblem)
        {
            problems.Add((ConditionReasons.InvalidRotationToken, TokenMessage(tokenProblem, content.Rotation.Handled)));
        }

        var validated = validation.Validated;
        if (validate && content.Connection != desired)
        {
            var inEffect = content.Connection is { } previous
                ? $"The connection in effect stays {Describe(previous)}."
                : "No connection is in effect yet.";
            problems.Add(validated.Status == ConditionFactory.False
                ? (ConditionReasons.ValidationFailed, $"The connection {Describe(desired)} is not in effect yet. {validated.Message} {inEffect}")
                : (ConditionReasons.ValidationPending, $"The connection {Describe(desired)} takes effect after a successful login with key 1 (status.publicKey1 must be in the bastion's authorized_keys for {desired.User}). {inEffect}"));
        }
        else if (validate && validated.Status == ConditionFactory.False)
        {
            problems.Add((ConditionReasons.ValidationFailed, $"The connection {Describe(desired)} is in effect but key 1 is not accepted. {validated.Message}"));
        }

        if (problems.Count > 0)
        {
            return conditions.Make(ConditionTypes.Ready, ConditionFactory.False, problems[0].Reason, string.Join(" ", problems.Select(p => p.Message)));
        }

        var detail = !validate
            ? "validation is disabled"
            : validated.Status == ConditionFactory.True ? "key 1 is authorized" : "re-validation is pending";
        return conditions.Make(ConditionTypes.Ready, ConditionFactory.True, ConditionReasons.Reconciled, $"Keys published; the connection {Describe(desired)} is in effect; {detail}.");
    }

    internal static string TokenMessage(string tokenProblem, string? handled) =>
        $"The keys were not rotated: {tokenProblem}." + (handled is null ? "" : $" The last handled value is {handled}; set a greater integer to rotate.");

    internal static string Describe(ConnectionParameters connection) => $"{connection.User}@{connection.Host}:{connection.Port}";

    /// <summary>
    /// A Secret that is not ours or not usable: nothing is written, the published keys and
    /// connection stay as they are, and Ready says what to fix.
    /// </summary>
    private static ReconcilePlan Blocked(
        ConnectionResource resource,
        ConditionFactory conditions,
        RotationToken token,
        string reason,
        string problem)
    {
        var current = resource.Status ?? new ConnectionStatus();
        var message = problem;
        if (token.Problem is { } tokenProblem)
        {
            message += " " + TokenMessage(tokenProblem, current.Rotation?.Handled);
        }

        var ready = conditions.Make(ConditionTypes.Ready, ConditionFactory.False, reason, message);
        var previousReady = conditions.Current(ConditionTypes.Ready);
        var status = current with
        {
            ObservedGeneration = resource.Generation,
            Conditions = [ready, .. current.Conditions.Where(c => c.Type != ConditionTypes.Ready)],
        };
        var events = StatusEvents.Between(resource, KeySecretLayout.SecretName(resource.Name), resource.Status, status, token);
        if (previousReady is null || previousReady.Reason != reason || !previousReady.Message.StartsWith(problem, StringComparison.Ordinal))
        {
            events = [new PlannedEvent(EventType.Warning, reason, problem), .. events];
        }

        return new ReconcilePlan(null, status.Equals(resource.Status) ? null : status, events, null, null);
    }

    /// <summary>
    /// Whether to probe now or when to come back: at once without a matching probe, after the
    /// backoff when the login failed for a transient reason, after the re-validation interval
    /// when it succeeded or the host key did not match the pin (retried only when the spec
    /// changes, or at that interval in case the bastion changed).
    /// </summary>
    private static (ProbeRequest? Probe, TimeSpan? RequeueAfter) Schedule(ReconcileInput input, ProbeRequest expected, ProbeHistory? probe, ConnectionStatus status)
    {
        if (input.ProbeInFlight)
        {
            return (null, null);
        }

        if (probe is null)
        {
            return CarriedSuccessDue(input, status) is { } carriedDue && carriedDue > input.Now ? (null, carriedDue - input.Now) : (expected, null);
        }

        var outcome = probe.Result.Key1.Outcome;
        var wait = outcome is ProbeOutcome.Authenticated or ProbeOutcome.HostKeyMismatch
            ? input.RevalidationInterval
            : ProbeBackoff.After(probe.ConsecutiveFailures);
        var due = probe.Result.CompletedAt + wait;
        return due <= input.Now ? (expected, null) : (null, due - input.Now);
    }

    /// <summary>
    /// After a restart (no probe known), a success carried over from the published status is
    /// re-validated on its usual schedule instead of at once, so a restarted operator does not
    /// probe every bastion in the same second.
    /// </summary>
    private static DateTimeOffset? CarriedSuccessDue(ReconcileInput input, ConnectionStatus status) =>
        input.LastProbe is null && status.LastValidationTime is { } validatedAt
            && status.Conditions.Any(c => c.Type == ConditionTypes.Validated && c.Status == ConditionFactory.True)
            ? validatedAt + input.RevalidationInterval
            : null;
}
