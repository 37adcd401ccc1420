using System.Text.Json.Nodes;
using SshTunnel.Core.PortForwards;
using SshTunnel.Core.Reconciliation;

namespace SshTunnel.Core.Tests.PortForwards;

public sealed class PortForwardReconcilerTests
{
    private readonly PortForwardWorld world = new(PortForwardWorld.FullSpec());

    public static TheoryData<bool, bool, bool, string, string> ConnectionStates => new()
    {
        // exists, keys published, Secret present: Ready reason, the kstatus condition
        { false, false, false, PortForwardReasons.ConnectionNotFound, ConditionTypes.Stalled },
        { true, false, false, PortForwardReasons.ConnectionNotReady, ConditionTypes.Reconciling },
        { true, true, false, PortForwardReasons.ConnectionNotReady, ConditionTypes.Reconciling },
        { true, false, true, PortForwardReasons.ConnectionNotReady, ConditionTypes.Reconciling },
    };

    [Theory]
    [MemberData(nameof(ConnectionStates))]
    public void A_connection_that_is_missing_or_not_ready_is_reported_and_nothing_is_written(bool exists, bool keys, bool secret, string reason, string kstatus)
    {
        world.Connection = exists ? new ConnectionSnapshot(keys, secret) : null;

        var plan = world.Step();

        Assert.Null(plan.Deployment);
        Assert.Null(plan.Service);
        AssertConditions(("Ready", "False", reason), (kstatus, "True", reason));
        Assert.Equal([(EventType.Warning, reason)], plan.Events.Select(e => (e.Type, e.Reason)));
        Assert.True(world.Step().IsEmpty);
    }

    [Fact]
    public void A_ready_connection_creates_the_Deployment_and_the_Service_then_Ready_follows_the_Deployment()
    {
        var plan = world.Step();

        Assert.Equal(WorkloadWriteKind.Create, plan.Deployment!.Kind);
        Assert.Equal(WorkloadWriteKind.Create, plan.Service!.Kind);
        Assert.Equal(PortForwardReasons.DeploymentCreated, plan.Deployment.Event.Reason);
        Assert.Equal(PortForwardReasons.ServiceCreated, plan.Service.Event.Reason);
        AssertConditions(("Ready", "False", PortForwardReasons.ForwardersNotReady), ("Reconciling", "True", PortForwardReasons.ForwardersNotReady));
        Assert.Empty(plan.Events);
        Assert.True(world.Step().IsEmpty);

        world.DeploymentReports(replicas: 2, updated: 2, ready: 1);
        var partly = world.Step();
        AssertConditions(("Ready", "True", PortForwardReasons.Available), ("Reconciling", "True", PortForwardReasons.RollingOut));
        Assert.Equal((2, 1), (world.Status!.Replicas, world.Status.ReadyReplicas));
        Assert.Equal([(EventType.Normal, PortForwardReasons.Available)], partly.Events.Select(e => (e.Type, e.Reason)));

        world.DeploymentReports(replicas: 2, updated: 2, ready: 2);
        var full = world.Step();
        AssertConditions(("Ready", "True", PortForwardReasons.Available));
        Assert.Empty(full.Events);
        Assert.Equal("app.kubernetes.io/name=ssh-tunnel-forwarder,sshtunnels.io/port-forward=warehouse-db", world.Status.Selector);
        Assert.Equal(world.Generation, world.Status.ObservedGeneration);
        Assert.True(world.Step().IsEmpty);
    }

    [Theory]
    [InlineData("deployment", PortForwardReasons.DeploymentConflict)]
    [InlineData("service", PortForwardReasons.ServiceConflict)]
    public void A_foreign_object_of_the_name_is_never_written_and_is_Stalled(string which, string reason)
    {
        var foreign = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "x", ["ownerReferences"] = new JsonArray(new JsonObject { ["uid"] = "someone-else", ["controller"] = true }) },
            ["spec"] = new JsonObject(),
        };
        if (which == "deployment")
        {
            world.Deployment = foreign;
        }
        else
        {
            world.Service = foreign;
        }

        var plan = world.Step();

        Assert.True(which == "deployment" ? plan.Deployment is null && plan.Service is not null : plan.Service is null && plan.Deployment is not null);
        Assert.True(plan.ReadByName);
        AssertConditions(("Ready", "False", reason), ("Stalled", "True", reason));
        Assert.Contains(plan.Events, e => e.Type == EventType.Warning && e.Reason == reason);
        Assert.Equal(0, world.Status!.ReadyReplicas);
    }

    [Fact]
    public void An_object_without_a_controller_is_foreign_too()
    {
        world.Deployment = new JsonObject { ["metadata"] = new JsonObject { ["name"] = "warehouse-db-forward" } };

        Assert.Null(world.Step().Deployment);
        AssertConditions(("Ready", "False", PortForwardReasons.DeploymentConflict), ("Stalled", "True", PortForwardReasons.DeploymentConflict));
    }

    [Fact]
    public void A_rollout_past_its_deadline_is_Stalled_and_clears_when_it_completes()
    {
        world.Converge();
        world.DeploymentReports(replicas: 2, updated: 1, ready: 0, deadlineExceeded: true);
        world.Step();
        AssertConditions(("Ready", "False", PortForwardReasons.ProgressDeadlineExceeded), ("Stalled", "True", PortForwardReasons.ProgressDeadlineExceeded));

        world.DeploymentReports(replicas: 2, updated: 2, ready: 2);
        world.Step();
        AssertConditions(("Ready", "True", PortForwardReasons.Available));
    }

    [Fact]
    public void Zero_replicas_is_Ready_and_keeps_the_Service()
    {
        world.Spec.Replicas = 0;
        world.Converge();
        world.DeploymentReports(replicas: 0, updated: 0, ready: 0);
        world.Converge();

        AssertConditions(("Ready", "True", PortForwardReasons.ScaledToZero));
        Assert.NotNull(world.Service);
        Assert.Equal(0, world.Deployment!["spec"]!["replicas"]!.GetValue<int>());
    }

    [Fact]
    public void A_spec_change_updates_the_owned_fields_and_keeps_everyone_else_s()
    {
        world.Converge();
        world.DeploymentReports(replicas: 2, updated: 2, ready: 2);
        world.Converge();
        world.Deployment!["metadata"]!["annotations"] = new JsonObject { ["deployment.kubernetes.io/revision"] = "1" };
        world.Deployment["metadata"]!["labels"]!["team"] = "data";
        world.Spec.Replicas = 3;
        world.Spec.NodeSelector = null;
        world.Generation = 2;

        var plan = world.Step();

        Assert.Equal(WorkloadWriteKind.Update, plan.Deployment!.Kind);
        Assert.Equal(PortForwardReasons.DeploymentUpdated, plan.Deployment.Event.Reason);
        Assert.Null(plan.Service);
        var body = plan.Deployment.Body;
        Assert.Equal(3, body["spec"]!["replicas"]!.GetValue<int>());
        Assert.Empty(body["spec"]!["template"]!["spec"]!["nodeSelector"]!.AsObject());
        Assert.Equal("1", body["metadata"]!["annotations"]!["deployment.kubernetes.io/revision"]!.GetValue<string>());
        Assert.Equal("data", body["metadata"]!["labels"]!["team"]!.GetValue<string>());
        Assert.Null(body["status"]);
        AssertConditions(("Ready", "True", PortForwardReasons.Available), ("Reconciling", "True", PortForwardReasons.RollingOut));
        Assert.Null(world.Step().Deployment);
    }

    [Fact]
    public void A_changed_forward_updates_the_arguments_and_the_Service_ports()
    {
        world.Converge();
        world.Spec.Forwards = [world.Spec.Forwards[0] with { TargetHost = "db2.internal" }];

        var plan = world.Step();

        Assert.Contains("postgres=20001:db2.internal:5432", plan.Deployment!.Body["spec"]!["template"]!["spec"]!["containers"]![0]!["args"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Single(plan.Service!.Body["spec"]!["ports"]!.AsArray());
    }

    [Fact]
    public void The_local_address_is_published_when_given()
    {
        var plan = PortForwardReconciler.Decide(new PortForwardInput(world.Resource, world.Connection, null, null, PortForwardWorld.Settings, world.Now)
        {
            LocalAddress = "postgres=127.0.0.1:40123",
        });

        Assert.Equal("postgres=127.0.0.1:40123", plan.Status!.LocalAddress);
    }

    private void AssertConditions(params (string Type, string Status, string Reason)[] expected) =>
        Assert.Equal(expected, world.Status!.Conditions.Select(c => (c.Type, c.Status, c.Reason)));
}
