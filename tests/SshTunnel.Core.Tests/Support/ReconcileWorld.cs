using System.Globalization;
using System.Text;
using Kube.Controller.Backoff;
using SshTunnel.Core.Model;
using SshTunnel.Core.Reconciliation;
using SshTunnel.Core.Secrets;
using SshTunnel.Core.Validation;

namespace SshTunnel.Core.Tests.Support;

/// <summary>
/// One connection, its Secret and its probe history, with the operator's side of the plan
/// carried out in memory by the operator's own <see cref="PlanExecutor"/>: Secret writes with
/// resourceVersion preconditions, status publishing, events, probes answered by a
/// <see cref="FakeBastion"/>.
/// </summary>
internal sealed class ReconcileWorld : IPlanWriter
{
    public const string Namespace = "default";
    public const string Name = "warehouse-bastion";
    public const string Uid = "0b6a7c4e-uid";

    /// <summary>The operator's default re-check backoff: 5 s, doubling, at most 60 s.</summary>
    public static readonly ExponentialBackoff Recheck = new(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60));

    private int resourceVersion;
    private bool crashAtStatus;

    public ReconcileWorld(bool validate = false, string? rotateKeys = null)
    {
        Spec = new ConnectionSpec { Host = "bastion.example.com", User = "materialize", Validate = validate };
        if (rotateKeys is not null)
        {
            Annotations[ResourceNames.RotateKeysAnnotation] = rotateKeys;
        }
    }

    public ConnectionSpec Spec { get; private set; }

    public string? Revalidate
    {
        set => SetAnnotation(ResourceNames.RevalidateAnnotation, value);
    }

    public long Generation { get; private set; } = 1;

    public Dictionary<string, string> Annotations { get; } = [];

    public ConnectionStatus? Status { get; set; }

    public SecretSnapshot? Secret { get; set; }

    public ProbeHistory? LastProbe { get; set; }

    public DateTimeOffset Now { get; set; } = new(2026, 11, 27, 9, 0, 0, 250, TimeSpan.Zero);

    public DeterministicKeyPairSource Keys { get; } = new();

    public FakeBastion Bastion { get; } = new();

    public List<PlannedEvent> Events { get; } = [];

    public int SecretWrites { get; private set; }

    /// <summary>Rotations counted the way the operator's metric counts them: from what the Secret writes carried out.</summary>
    public long RotationsWritten { get; private set; }

    public string? RotateKeys
    {
        set => SetAnnotation(ResourceNames.RotateKeysAnnotation, value);
    }

    public void ChangeSpec(Action<ConnectionSpec> change)
    {
        var next = new ConnectionSpec { Host = Spec.Host, Port = Spec.Port, User = Spec.User, Validate = Spec.Validate, HostKey = Spec.HostKey, Rotation = Spec.Rotation, SecretPolicy = Spec.SecretPolicy };
        change(next);
        Spec = next;
        Generation++;
    }

    public ReconcilePlan Decide(bool probeInFlight = false) =>
        ConnectionReconciler.Decide(new ReconcileInput(
            new ConnectionResource(Namespace, Name, Uid, Generation, new Dictionary<string, string>(Annotations), Spec, Status),
            Secret,
            LastProbe,
            Now,
            Keys,
            Recheck.After)
        { ProbeInFlight = probeInFlight });

    /// <summary>
    /// Decides as the operator does first, from its Secret cache: the Secret's metadata and its
    /// <see cref="KeySecretVerdict"/>, without data or the operator's annotations;
    /// <paramref name="pairsConfirmed"/> false stands for a process that has not yet checked the Secret's pairs.
    /// </summary>
    public ReconcilePlan DecideFromCache(bool probeInFlight = false, bool pairsConfirmed = true) =>
        ConnectionReconciler.Decide(new ReconcileInput(
            new ConnectionResource(Namespace, Name, Uid, Generation, new Dictionary<string, string>(Annotations), Spec, Status),
            Secret is { } secret ? Unconfirmed(Cached(secret), !pairsConfirmed) : null,
            LastProbe,
            Now,
            Keys,
            Recheck.After)
        { ProbeInFlight = probeInFlight });

    /// <summary>Decides and carries out the plan except the probe; <paramref name="crashBeforeStatus"/> drops everything after the Secret write.</summary>
    public ReconcilePlan Step(bool crashBeforeStatus = false) => Execute(Decide(), crashBeforeStatus);

    /// <summary>Carries out <paramref name="plan"/> except the probe; <paramref name="crashBeforeStatus"/> drops everything after the Secret write.</summary>
    public ReconcilePlan Execute(ReconcilePlan plan, bool crashBeforeStatus = false)
    {
        crashAtStatus = crashBeforeStatus;
        try
        {
            var execution = PlanExecutor.ExecuteAsync(plan, this, CancellationToken.None).AsTask();
            Assert.True(execution.IsCompleted, "the in-memory writes complete at once");
            Assert.Equal(WriteOutcome.Written, execution.GetAwaiter().GetResult());
        }
        catch (SimulatedCrash)
        {
            Assert.True(crashBeforeStatus);
        }

        return plan;
    }

    /// <summary>Runs the plan's probe against the bastion and records it as the operator does.</summary>
    public void RunProbe(ReconcilePlan plan)
    {
        var request = plan.Probe ?? throw new InvalidOperationException("The plan asks for no probe.");
        LastProbe = ProbeHistory.Record(LastProbe, request, Bastion.Answer(request, Now));
    }

    /// <summary>Steps, running requested probes, until the plan is empty; returns all plans. Fails if it never settles.</summary>
    public List<ReconcilePlan> Converge()
    {
        var plans = new List<ReconcilePlan>();
        for (var round = 0; round < 10; round++)
        {
            var plan = Step();
            plans.Add(plan);
            if (plan.Probe is not null)
            {
                RunProbe(plan);
            }
            else if (plan.IsEmpty)
            {
                return plans;
            }
        }

        throw new InvalidOperationException("The decisions did not converge: " + string.Join(" | ", plans.Select(p => p.ToString())));
    }

    public ValueTask<WriteOutcome> WriteSecretAsync(SecretWrite write, CancellationToken cancellationToken)
    {
        Write(write);
        RotationsWritten += write.RotationsAdded;
        return ValueTask.FromResult(WriteOutcome.Written);
    }

    public ValueTask<WriteOutcome> WriteStatusAsync(ConnectionStatus status, CancellationToken cancellationToken)
    {
        if (crashAtStatus)
        {
            throw new SimulatedCrash();
        }

        Status = status;
        return ValueTask.FromResult(WriteOutcome.Written);
    }

    public void Emit(PlannedEvent planned) => Events.Add(planned);

    /// <summary>Probes run only when a test asks (<see cref="RunProbe"/>), as the operator runs them off the reconcile path.</summary>
    public void StartProbe(ProbeRequest request)
    {
    }

    public void Write(SecretWrite write)
    {
        if (write.Kind == SecretWriteKind.Create)
        {
            Assert.Null(Secret);
        }
        else
        {
            Assert.Equal(Secret?.ResourceVersion, write.ExpectedResourceVersion);
        }

        SecretWrites++;
        var created = write.Kind == SecretWriteKind.Create ? StatusRules.WholeSeconds(Now) : Secret!.CreationTimestamp;
        var version = (++resourceVersion).ToString(CultureInfo.InvariantCulture);
        Secret = write.Kind == SecretWriteKind.Promote
            ? Promoted(Secret!, write.Contents) with { ResourceVersion = version }
            : ToSnapshot(write.Contents, version) with { CreationTimestamp = created };

        // Every scenario that writes checks the shortcut the operator's cache takes: the verdict Core
        // planned for the write is the one reading the written Secret back gives.
        Assert.Equal(KeySecretVerdict.Of(Secret), write.Verdict);
    }

    /// <summary>What the API server makes of a promotion's JSON patch: private key 2 moves to 1, the write's entries are set.</summary>
    private static SecretSnapshot Promoted(SecretSnapshot secret, SecretContents set)
    {
        var data = new Dictionary<string, byte[]>(secret.Data);
        data[KeySecretLayout.PrivateKey1] = data[KeySecretLayout.PrivateKey2];
        data.Remove(KeySecretLayout.PrivateKey2);
        var annotations = new Dictionary<string, string>(secret.Annotations);
        foreach (var (key, value) in set.Data)
        {
            data[key] = value;
        }

        foreach (var (key, value) in set.Annotations)
        {
            annotations[key] = value;
        }

        return secret with { Data = data, Annotations = annotations };
    }

    /// <summary>What the operator's Secret cache keeps of <paramref name="secret"/>: no data, one annotation, the verdict.</summary>
    public static SecretSnapshot Cached(SecretSnapshot secret) => secret with
    {
        Annotations = secret.Annotations.Where(a => a.Key == KeySecretLayout.LastRotationTimeAnnotation).ToDictionary(),
        Data = new Dictionary<string, byte[]>(),
        Verdict = KeySecretVerdict.Of(secret),
    };

    private static SecretSnapshot Unconfirmed(SecretSnapshot cached, bool unconfirmed) =>
        unconfirmed ? cached with { Verdict = cached.Verdict!.Value with { PairsConfirmed = false } } : cached;

    public static SecretSnapshot ToSnapshot(SecretContents contents, string resourceVersion) =>
        new(resourceVersion, contents.Type, contents.Labels, contents.Annotations, contents.Data, contents.Owner?.Uid);

    public string SecretText(string key) => Encoding.UTF8.GetString(Secret!.Data[key]);

    public void EditSecret(Action<Dictionary<string, byte[]>> edit)
    {
        var data = new Dictionary<string, byte[]>(Secret!.Data);
        edit(data);
        Secret = Secret with { Data = data, ResourceVersion = (++resourceVersion).ToString(CultureInfo.InvariantCulture) };
    }

    private void SetAnnotation(string name, string? value)
    {
        if (value is null)
        {
            Annotations.Remove(name);
        }
        else
        {
            Annotations[name] = value;
        }
    }

    public Condition Condition(string type) => Status!.Conditions.Single(c => c.Type == type);

    /// <summary>The operator process dying between the Secret write and the status write.</summary>
    private sealed class SimulatedCrash : Exception
    {
    }
}
