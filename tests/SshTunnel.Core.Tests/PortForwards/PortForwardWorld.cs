using System.Text.Json.Nodes;
using SshTunnel.Core.PortForwards;

namespace SshTunnel.Core.Tests.PortForwards;

/// <summary>
/// An in-memory cluster for one SshPortForward: its connection, Deployment and Service as JSON,
/// writes applied as the API server does (generation moves with the spec), and the Deployment
/// controller's status set by the test.
/// </summary>
internal sealed class PortForwardWorld(PortForwardSpec spec)
{
    public const string Namespace = "shop";
    public const string Name = "warehouse-db";
    public const string Uid = "uid-spf";
    public static readonly ForwarderSettings Settings = new("ghcr.io/example/ssh-tunnel-operator:1.0");

    private int resourceVersion = 10;

    public PortForwardSpec Spec { get; set; } = spec;

    public long Generation { get; set; } = 1;

    public PortForwardStatus? Status { get; set; }

    public ConnectionSnapshot? Connection { get; set; } = new(KeysPublished: true, SecretPresent: true);

    public JsonObject? Deployment { get; set; }

    public JsonObject? Service { get; set; }

    public DateTimeOffset Now { get; set; } = DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    public List<PortForwardPlan> Plans { get; } = [];

    public static PortForwardSpec FullSpec() => new()
    {
        ConnectionName = "warehouse-bastion",
        Replicas = 2,
        Forwards =
        [
            new ForwardedPort { Name = "postgres", Port = 5432, TargetHost = "db.internal", TargetPort = 5432 },
            new ForwardedPort { Name = "redis", Port = 6379, TargetHost = "fd00::5", TargetPort = 6380 },
        ],
        Resources = new ForwarderResources
        {
            Requests = new Dictionary<string, string> { ["cpu"] = "10m", ["memory"] = "64Mi" },
            Limits = new Dictionary<string, string> { ["memory"] = "128Mi" },
        },
        NodeSelector = new Dictionary<string, string> { ["kubernetes.io/os"] = "linux" },
        Tolerations = [new PodToleration { Key = "dedicated", Operator = "Equal", Value = "tunnels", Effect = "NoSchedule" }],
    };

    public PortForwardResource Resource => new(Namespace, Name, Uid, Generation, Spec, Status);

    /// <summary>Decides once and applies the plan.</summary>
    public PortForwardPlan Step()
    {
        var plan = PortForwardReconciler.Decide(new PortForwardInput(Resource, Connection, Deployment?.DeepClone().AsObject(), Service?.DeepClone().AsObject(), Settings, Now));
        Plans.Add(plan);
        if (plan.Deployment is { } deployment)
        {
            Deployment = Store(Deployment, deployment.Body);
        }

        if (plan.Service is { } service)
        {
            Service = Store(Service, service.Body);
        }

        Status = plan.Status ?? Status;
        return plan;
    }

    /// <summary>Steps until a plan is empty; fails after ten.</summary>
    public void Converge()
    {
        for (var step = 0; step < 10; step++)
        {
            if (Step().IsEmpty)
            {
                return;
            }
        }

        Assert.Fail("did not converge within ten decisions");
    }

    /// <summary>What the Deployment controller publishes once <paramref name="ready"/> of the pods it runs are ready.</summary>
    public void DeploymentReports(int replicas, int updated, int ready, bool deadlineExceeded = false)
    {
        var deployment = Deployment!;
        deployment["status"] = new JsonObject
        {
            ["observedGeneration"] = deployment["metadata"]!["generation"]!.GetValue<long>(),
            ["replicas"] = replicas,
            ["updatedReplicas"] = updated,
            ["readyReplicas"] = ready,
            ["availableReplicas"] = ready,
            ["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "Progressing",
                ["status"] = deadlineExceeded ? "False" : "True",
                ["reason"] = deadlineExceeded ? "ProgressDeadlineExceeded" : "NewReplicaSetAvailable",
            }),
        };
    }

    /// <summary>The statuses a resource goes through: no connection, keys pending, created, partly and fully ready, a conflict, a stuck rollout.</summary>
    public IEnumerable<PortForwardStatus> Walkthrough()
    {
        Connection = null;
        yield return Published();
        Connection = new ConnectionSnapshot(KeysPublished: false, SecretPresent: false);
        yield return Published();
        Connection = new ConnectionSnapshot(KeysPublished: true, SecretPresent: true);
        yield return Published();
        DeploymentReports(2, 2, 1);
        yield return Published();
        DeploymentReports(2, 2, 2);
        yield return Published();
        DeploymentReports(2, 1, 0, deadlineExceeded: true);
        yield return Published();
        Service!["metadata"]!["ownerReferences"] = new JsonArray();
        yield return Published();
    }

    private PortForwardStatus Published()
    {
        Step();
        return Status!;
    }

    private JsonObject Store(JsonObject? existing, JsonObject body)
    {
        var stored = body.DeepClone().AsObject();
        var metadata = stored["metadata"]!.AsObject();
        var generation = existing?["metadata"]?["generation"]?.GetValue<long>() ?? 0;
        var specChanged = existing is null || !JsonNode.DeepEquals(existing["spec"], stored["spec"]);
        metadata["generation"] = specChanged ? generation + 1 : generation;
        metadata["resourceVersion"] = (++resourceVersion).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (existing?["status"] is { } status)
        {
            stored["status"] = status.DeepClone();
        }

        return stored;
    }
}
