using System.Text;
using k8s;
using k8s.Models;
using Kube.Emulator;
using SshTunnel.Core.Model;
using SshTunnel.Core.Reconciliation;
using SshTunnel.Core.Secrets;
using SshTunnel.Api;
using SshTunnel.Operator.Tests.Testing;
using SshTunnel.Testing.OperatorHost;
using SshTunnel.Testing.Polling;
using static SshTunnel.Operator.Tests.Testing.OperatorHarness;

namespace SshTunnel.Operator.Tests.Reconciliation;

/// <summary>The operator in-process against the emulator over HTTP, with <c>validate: false</c>.</summary>
public sealed class ConnectionControllerTests : IAsyncLifetime
{
    private OperatorHarness harness = null!;

    private EmulatorControl Control => harness.Cluster.Control;

    public async Task InitializeAsync() => harness = await OperatorHarness.StartAsync();

    public async Task DisposeAsync() => await harness.DisposeAsync();

    private static string Text(V1Secret secret, string key) => Encoding.UTF8.GetString(secret.Data[key]);

    private async Task<SshTunnelConnection> CreateReadyAsync(string name, string? rotateKeys = null)
    {
        await harness.CreateAsync(name, Spec(), rotateKeys);
        return await harness.WaitAsync(name, connection => HasKeys(connection) && IsReady(connection), $"{name} ready with keys");
    }

    /// <summary>
    /// Waits until the operator is idle with the connection's latest version in its caches, so
    /// nothing it does later is a reaction to what came before; counts writes from zero again and
    /// returns the connection as it is then.
    /// </summary>
    private async Task<SshTunnelConnection> SettleAsync(string name)
    {
        await harness.WaitForIdleAsync((await harness.GetAsync(name)).Metadata.ResourceVersion);
        Control.ResetCounters();
        return await harness.GetAsync(name);
    }

    private long Writes(string resource) => Control.WriteCount(resource);

    /// <summary>A Secret of someone else's holding the key Secret's name of connection <paramref name="connection"/>.</summary>
    private Task CreateForeignSecretAsync(string connection) =>
        harness.Client.CoreV1.CreateNamespacedSecretAsync(
            new V1Secret
            {
                ApiVersion = "v1",
                Kind = "Secret",
                Metadata = new V1ObjectMeta { Name = KeySecretLayout.SecretName(connection) },
                StringData = new Dictionary<string, string> { ["password"] = "hunter2" },
            },
            Namespace);

    [Fact]
    public async Task A_new_connection_gets_two_keys_in_an_owned_secret_and_is_ready()
    {
        var connection = await CreateReadyAsync("warehouse");

        var secret = (await harness.GetSecretAsync("warehouse"))!;
        Assert.Equal(KeySecretLayout.SecretType, secret.Type);
        Assert.Equal(connection.Status!.PublicKey1, Text(secret, KeySecretLayout.PublicKey1).Trim());
        Assert.Equal(connection.Status.PublicKey2, Text(secret, KeySecretLayout.PublicKey2).Trim());
        Assert.EndsWith(" default/warehouse", connection.Status.PublicKey1, StringComparison.Ordinal);
        var owner = Assert.Single(secret.Metadata.OwnerReferences);
        Assert.Equal((ResourceNames.ApiVersion, "SshTunnelConnection", "warehouse", connection.Metadata.Uid, true, true),
            (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.Controller, owner.BlockOwnerDeletion));
        Assert.Equal("ssh-tunnel-operator", secret.Metadata.Labels[KeySecretLayout.ManagedByLabel]);
        Assert.Equal("warehouse", secret.Metadata.Labels[KeySecretLayout.ConnectionLabel]);
        Assert.Equal(new ConnectionParameters("bastion.example.com", 22, "materialize"), connection.Status.Connection);
        Assert.Equal(0, connection.Status.Rotation?.Count ?? 0);
        await harness.WaitForEventAsync("warehouse", EventReasons.KeysGenerated);
    }

    [Fact]
    public async Task A_connection_created_with_the_annotation_set_does_not_rotate()
    {
        await CreateReadyAsync("preset", rotateKeys: "1764200000");
        var connection = await SettleAsync("preset");

        Assert.Equal("1764200000", connection.Status!.Rotation!.Handled);
        Assert.Equal(0, connection.Status.Rotation.Count);
        var events = await harness.EventsAsync("preset");
        Assert.DoesNotContain(events, item => item.Reason == EventReasons.KeysRotated);
    }

    [Fact]
    public async Task An_equal_or_lower_annotation_rotates_nothing_and_a_lower_one_says_so_once()
    {
        var before = await CreateReadyAsync("revert", rotateKeys: "100");
        await SettleAsync("revert");

        await harness.AnnotateAsync("revert", "100");
        var lowered = await harness.AnnotateAsync("revert", "99");
        var ignored = (await harness.WaitForEventAsync("revert", EventReasons.RotationIgnored)).Single(item => item.Reason == EventReasons.RotationIgnored);
        await harness.WaitForIdleAsync(lowered.Metadata.ResourceVersion);

        var after = await harness.GetAsync("revert");
        Assert.Equal(before.Status!.PublicKey1, after.Status!.PublicKey1);
        Assert.Equal(before.Status.PublicKey2, after.Status.PublicKey2);
        Assert.Equal(0, after.Status.Rotation!.Count);
        Assert.Equal(0, Writes("secrets"));
        Assert.Equal(1, Writes("sshtunnelconnections/status"));
        Assert.Equal(("Warning", 1), (ignored.Type, ignored.Count ?? 1));
        Assert.Contains("The value 99 of sshtunnels.io/rotate-keys is not greater than the handled 100", ConditionOf(after, "Ready")!.Message);
    }

    [Fact]
    public async Task A_jump_by_many_rotates_once_and_promotes_key_2()
    {
        var before = await CreateReadyAsync("jump", rotateKeys: "100");
        await SettleAsync("jump");

        await harness.AnnotateAsync("jump", "1000000");
        await harness.WaitAsync("jump", connection => connection.Status?.Rotation?.Count >= 1, "a rotation");
        var after = await SettleAsync("jump");

        Assert.Equal(1, after.Status!.Rotation!.Count);
        Assert.Equal("1000000", after.Status.Rotation.Handled);
        Assert.Equal(before.Status!.PublicKey2, after.Status.PublicKey1);
        Assert.NotEqual(before.Status.PublicKey2, after.Status.PublicKey2);
        Assert.NotEqual(before.Status.PublicKey1, after.Status.PublicKey1);
        var secret = (await harness.GetSecretAsync("jump"))!;
        Assert.Equal(after.Status.PublicKey1, Text(secret, KeySecretLayout.PublicKey1).Trim());
        await harness.WaitForEventAsync("jump", EventReasons.KeysRotated);
    }

    [Fact]
    public async Task A_non_integer_annotation_leaves_the_keys_and_says_why()
    {
        var before = await CreateReadyAsync("typo");

        await harness.AnnotateAsync("typo", "tomorrow");
        var after = await harness.WaitAsync("typo", connection => ConditionOf(connection, "Ready")?.Status == "False", "Ready False");

        var ready = ConditionOf(after, "Ready")!;
        Assert.Equal(ConditionReasons.InvalidRotationToken, ready.Reason);
        Assert.Contains("tomorrow", ready.Message, StringComparison.Ordinal);
        Assert.Equal(before.Status!.PublicKey1, after.Status!.PublicKey1);
        Assert.Equal(before.Status.PublicKey2, after.Status.PublicKey2);
        var warning = (await harness.WaitForEventAsync("typo", EventReasons.InvalidRotationToken)).First(item => item.Reason == EventReasons.InvalidRotationToken);
        Assert.Equal("Warning", warning.Type);
        Assert.Equal("ssh-tunnel-operator", warning.ReportingComponent);
    }

    [Fact]
    public async Task A_conflict_on_the_secret_write_is_decided_again_and_rotates_once()
    {
        var before = await CreateReadyAsync("conflict", rotateKeys: "1");
        await SettleAsync("conflict");

        Control.FailNext(1, request => request.Resource == "secrets" && request.Verb == "patch", new EmulatorFault.Conflict());
        await harness.AnnotateAsync("conflict", "2");
        await harness.WaitAsync("conflict", connection => connection.Status?.Rotation?.Count >= 1, "a rotation");
        var after = await SettleAsync("conflict");

        Assert.Equal(1, after.Status!.Rotation!.Count);
        Assert.Equal(before.Status!.PublicKey2, after.Status.PublicKey1);
        var secret = (await harness.GetSecretAsync("conflict"))!;
        Assert.Equal("1", secret.Metadata.Annotations[KeySecretLayout.RotationCountAnnotation]);
        Assert.Equal(before.Status.PublicKey2, Text(secret, KeySecretLayout.PublicKey1).Trim());
    }

    [Fact]
    public async Task A_promotion_the_api_server_finds_unprocessable_is_decided_again_from_the_whole_secret_and_rotates_once()
    {
        var (before, rotationsBefore) = await ReadyToRotateAsync("unprocessable");

        // 422: what the API server answers a JSON patch whose move names a key the Secret no longer has.
        var rotated = await RotateWithThePatchRefusedAsync("unprocessable", "2", 422, rotations: 1);
        var after = await harness.GetAsync("unprocessable");

        Assert.Equal(1, after.Status!.Rotation!.Count);
        Assert.Equal(before.Status!.PublicKey2, after.Status.PublicKey1);
        Assert.Equal(["patch", "get", "update"], SecretRequests("unprocessable"));
        Assert.Equal(before.Status.PublicKey2, Text((await harness.GetSecretAsync("unprocessable"))!, KeySecretLayout.PublicKey1).Trim());
        Assert.Equal(rotated.Status!.PublicKey2, after.Status.PublicKey2);
        Assert.Equal(1, harness.Operator!.Metrics.KeyRotations.Value - rotationsBefore);
    }

    [Fact]
    public async Task Roles_that_refuse_a_promotion_patch_leave_the_rotations_to_a_read_and_a_replace()
    {
        var (before, rotationsBefore) = await ReadyToRotateAsync("forbidden");

        // 403: what the API server answers a caller whose roles lack patch on Secrets (an earlier chart's, or hand-written).
        var rotated = await RotateWithThePatchRefusedAsync("forbidden", "2", 403, rotations: 1);
        var firstRequests = SecretRequests("forbidden");
        Control.ResetCounters();
        await harness.AnnotateAsync("forbidden", "3");
        var again = await harness.WaitAsync("forbidden", connection => connection.Status?.Rotation?.Count == 2, "the second rotation");
        await harness.WaitForIdleAsync(again.Metadata.ResourceVersion);

        Assert.Equal(["patch", "get", "update"], firstRequests);
        Assert.Equal(["get", "update"], SecretRequests("forbidden"));
        Assert.Equal(before.Status!.PublicKey2, rotated.Status!.PublicKey1);
        Assert.Equal(rotated.Status.PublicKey2, again.Status!.PublicKey1);
        Assert.Equal(again.Status.PublicKey1, Text((await harness.GetSecretAsync("forbidden"))!, KeySecretLayout.PublicKey1).Trim());
        Assert.Equal(2, harness.Operator!.Metrics.KeyRotations.Value - rotationsBefore);
    }

    /// <summary>A ready connection with rotation 1 handled, settled, the rotations counted so far, and its requests recorded from now on.</summary>
    private async Task<(SshTunnelConnection Before, double RotationsBefore)> ReadyToRotateAsync(string name)
    {
        var before = await CreateReadyAsync(name, rotateKeys: "1");
        await SettleAsync(name);
        var rotationsBefore = harness.Operator!.Metrics.KeyRotations.Value;
        Control.RecordRequests = true;
        return (before, rotationsBefore);
    }

    /// <summary>Bumps the rotate annotation of <paramref name="name"/> with the next Secret patch answered <paramref name="statusCode"/>, and waits until that rotation has settled.</summary>
    private async Task<SshTunnelConnection> RotateWithThePatchRefusedAsync(string name, string token, int statusCode, int rotations)
    {
        Control.FailNext(1, request => request.Resource == "secrets" && request.Verb == "patch", new EmulatorFault.ServerError(statusCode));
        await harness.AnnotateAsync(name, token);
        var rotated = await harness.WaitAsync(name, connection => connection.Status?.Rotation?.Count == rotations, "the rotation");
        await harness.WaitForIdleAsync(rotated.Metadata.ResourceVersion);
        return rotated;
    }

    private List<string> SecretRequests(string name) => Control.RecordedRequests
        .Where(request => request is { Resource: "secrets", Verb: not ("list" or "watch") } && request.Name == KeySecretLayout.SecretName(name))
        .Select(request => request.Verb)
        .ToList();

    [Fact]
    public async Task A_conflict_and_a_server_error_on_the_status_after_a_rotation_publish_KeysRotated_once_and_count_it_once()
    {
        var (before, rotationsBefore) = await ReadyToRotateAsync("flaky-status");
        static bool StatusWrite(RequestInfo request) => request is { Resource: "sshtunnelconnections", Subresource: "status", Verb: "update" };
        Control.FailNext(1, StatusWrite, new EmulatorFault.Conflict());
        Control.FailNext(1, StatusWrite, new EmulatorFault.ServerError(500));

        await harness.AnnotateAsync("flaky-status", "2");
        var after = await harness.WaitAsync("flaky-status", connection => connection.Status?.Rotation?.Count == 1, "the rotation");
        await harness.WaitForIdleAsync(after.Metadata.ResourceVersion);

        Assert.Equal(before.Status!.PublicKey2, after.Status!.PublicKey1);
        Assert.True(Control.RecordedRequests.Count(StatusWrite) >= 3, "the conflict, the server error and the write that went through");
        var rotated = Assert.Single(await harness.EventsAsync("flaky-status"), item => item.Reason == EventReasons.KeysRotated);
        Assert.Equal(1, rotated.Count);
        Assert.Equal(rotationsBefore + 1, harness.Operator!.Metrics.KeyRotations.Value);
    }

    [Fact]
    public async Task A_crash_between_the_secret_write_and_the_status_write_rebuilds_status_without_rotating_again()
    {
        var before = await CreateReadyAsync("crash", rotateKeys: "1");
        await SettleAsync("crash");
        var statusWritesFail = true;
        Control.FailNext(
            int.MaxValue,
            request => Volatile.Read(ref statusWritesFail) && request.Subresource == "status",
            new EmulatorFault.ServerError(500));

        await harness.AnnotateAsync("crash", "2");
        await Eventually.Until(
            () => harness.GetSecretAsync("crash"),
            secret => secret!.Metadata.Annotations.TryGetValue(KeySecretLayout.RotationCountAnnotation, out var count) && count == "1",
            "the rotated Secret");
        await harness.StopOperatorAsync();
        Volatile.Write(ref statusWritesFail, false);
        Assert.Equal(0, (await harness.GetAsync("crash")).Status!.Rotation!.Count);

        await harness.StartOperatorAsync();
        await harness.WaitAsync("crash", connection => connection.Status?.Rotation?.Count >= 1, "the rebuilt status");
        var after = await SettleAsync("crash");

        Assert.Equal(1, after.Status!.Rotation!.Count);
        Assert.Equal(before.Status!.PublicKey2, after.Status.PublicKey1);
        var secret = (await harness.GetSecretAsync("crash"))!;
        Assert.Equal("1", secret.Metadata.Annotations[KeySecretLayout.RotationCountAnnotation]);
        Assert.Equal(after.Status.PublicKey2, Text(secret, KeySecretLayout.PublicKey2).Trim());
    }

    [Fact]
    public async Task A_deleted_secret_is_regenerated_with_a_warning_that_the_old_keys_are_gone()
    {
        var before = await CreateReadyAsync("lost");

        await harness.Client.CoreV1.DeleteNamespacedSecretAsync(KeySecretLayout.SecretName("lost"), Namespace);
        var after = await harness.WaitAsync(
            "lost", connection => connection.Status?.PublicKey1 is { } key && key != before.Status!.PublicKey1 && IsReady(connection), "new keys");

        Assert.NotEqual(before.Status!.PublicKey2, after.Status!.PublicKey2);
        Assert.NotNull(await harness.GetSecretAsync("lost"));
        var warning = (await harness.WaitForEventAsync("lost", EventReasons.KeysRegenerated)).First(item => item.Reason == EventReasons.KeysRegenerated);
        Assert.Equal("Warning", warning.Type);
    }

    [Fact]
    public async Task A_tampered_secret_is_reported_and_left_alone_until_deleted()
    {
        var before = await CreateReadyAsync("tampered");
        var secret = (await harness.GetSecretAsync("tampered"))!;
        secret.Data[KeySecretLayout.PrivateKey1] = Encoding.UTF8.GetBytes("not a key");
        var secretWritesBefore = Writes("secrets");
        await harness.Client.CoreV1.ReplaceNamespacedSecretAsync(secret, secret.Metadata.Name, Namespace);

        var reported = await harness.WaitAsync("tampered", connection => ConditionOf(connection, "Ready")?.Reason == ConditionReasons.SecretInvalid, "SecretInvalid");
        await harness.WaitForIdleAsync(reported.Metadata.ResourceVersion);
        var invalid = await harness.GetAsync("tampered");
        Assert.Equal("False", ConditionOf(invalid, "Ready")!.Status);
        Assert.Equal(ConditionReasons.SecretInvalid, ConditionOf(invalid, "Ready")!.Reason);
        Assert.Equal("not a key", Text((await harness.GetSecretAsync("tampered"))!, KeySecretLayout.PrivateKey1));
        Assert.Equal(secretWritesBefore + 1, Writes("secrets"));

        await harness.Client.CoreV1.DeleteNamespacedSecretAsync(secret.Metadata.Name, Namespace);
        var regenerated = await harness.WaitAsync(
            "tampered", connection => IsReady(connection) && connection.Status!.PublicKey1 != before.Status!.PublicKey1, "regenerated keys");
        Assert.NotEqual("not a key", Text((await harness.GetSecretAsync("tampered"))!, KeySecretLayout.PrivateKey1));
        Assert.NotNull(regenerated.Status!.PublicKey2);
    }

    [Fact]
    public async Task A_foreign_secret_holding_the_name_is_never_overwritten()
    {
        Control.RecordRequests = true;
        await CreateForeignSecretAsync("squatted");

        var created = await harness.CreateAsync("squatted", Spec());
        await harness.WaitAsync(
            "squatted", candidate => ConditionOf(candidate, "Ready")?.Reason == ConditionReasons.SecretConflict, "SecretConflict");
        var annotated = await harness.AnnotateAsync("squatted", "5");
        await harness.WaitForIdleAsync(annotated.Metadata.ResourceVersion);

        var connection = await harness.GetAsync("squatted");
        Assert.Equal("False", ConditionOf(connection, "Ready")!.Status);
        Assert.Equal(ConditionReasons.SecretConflict, ConditionOf(connection, "Ready")!.Reason);
        Assert.Null(connection.Status!.PublicKey1);
        Assert.Equal(0, connection.Status.Rotation?.Count ?? 0);
        Assert.Equal(created.Metadata.Uid, connection.Metadata.Uid);
        var secret = (await harness.GetSecretAsync("squatted"))!;
        Assert.Equal("hunter2", Text(secret, "password"));
        Assert.Null(secret.Metadata.OwnerReferences);
        Assert.Null(secret.Metadata.Labels);
        Assert.DoesNotContain(Control.RecordedRequests, request => request is { Resource: "secrets", Verb: "update" or "patch" or "delete" });
    }

    [Fact]
    public async Task A_deleted_foreign_secret_is_replaced_by_the_operators_own_within_seconds()
    {
        await CreateForeignSecretAsync("reclaimed");
        await harness.CreateAsync("reclaimed", Spec());
        var conflict = await harness.WaitAsync(
            "reclaimed", candidate => ConditionOf(candidate, "Ready")?.Reason == ConditionReasons.SecretConflict, "SecretConflict");
        Assert.Equal(["Ready", "Validated", "SecondaryKeyAuthorized", "Stalled"], conflict.Status!.Conditions.Select(condition => condition.Type));

        await harness.Client.CoreV1.DeleteNamespacedSecretAsync(KeySecretLayout.SecretName("reclaimed"), Namespace);
        var ready = await Eventually.Until(
            () => harness.GetAsync("reclaimed"), candidate => HasKeys(candidate) && IsReady(candidate), "keys in the operator's own Secret", TimeSpan.FromSeconds(15));

        var secret = (await harness.GetSecretAsync("reclaimed"))!;
        Assert.Equal(ready.Metadata.Uid, Assert.Single(secret.Metadata.OwnerReferences).Uid);
        Assert.Equal(ready.Status!.PublicKey1, Text(secret, KeySecretLayout.PublicKey1));
    }

    [Fact]
    public async Task Deleting_the_connection_garbage_collects_its_secret()
    {
        await CreateReadyAsync("doomed");

        await harness.Client.CustomObjects.DeleteNamespacedCustomObjectAsync(
            ResourceNames.Group, ResourceNames.Version, Namespace, ResourceNames.Plural, "doomed");

        await Eventually.Until(() => harness.GetSecretAsync("doomed"), secret => secret is null, "the Secret to be collected");
    }

    [Fact]
    public async Task A_converged_connection_gets_zero_writes()
    {
        await CreateReadyAsync("quiet");
        await harness.WaitForEventAsync("quiet", EventReasons.KeysGenerated);
        await harness.WaitForEventAsync("quiet", EventReasons.ConnectionChanged);
        var converged = await SettleAsync("quiet");

        // A restart reconciles every connection from a fresh list, as a rollout or a new leader does.
        await harness.StopOperatorAsync();
        await harness.StartOperatorAsync();
        await harness.WaitForIdleAsync(converged.Metadata.ResourceVersion);

        Assert.Equal(converged.Metadata.ResourceVersion, (await harness.GetAsync("quiet")).Metadata.ResourceVersion);
        Assert.Equal(0, Writes("secrets"));
        Assert.Equal(0, Writes("sshtunnelconnections"));
        Assert.Equal(0, Writes("sshtunnelconnections/status"));
        Assert.Equal(0, Writes("events"));
    }

    /// <summary>
    /// The operator restarts within the test's process, which made the key pairs and so has them
    /// confirmed (Core's VerifiedKeyCache), as an operator has after its first pass; a new process
    /// reads each Secret once to check its pairs (Core's CachedSecretDecisionTests).
    /// </summary>
    [Fact]
    public async Task An_operator_that_confirmed_the_key_pairs_decides_converged_connections_without_reading_their_secrets()
    {
        string[] names = ["first", "second", "third"];
        foreach (var name in names)
        {
            await CreateReadyAsync(name);
        }

        var converged = await SettleAsync(names[^1]);
        Control.RecordRequests = true;

        await harness.StopOperatorAsync();
        await harness.StartOperatorAsync();
        await harness.WaitForIdleAsync(converged.Metadata.ResourceVersion);

        using var exported = new MemoryStream();
        await harness.Operator!.Metrics.Registry.CollectAndExportAsTextAsync(exported);
        var scrape = PrometheusScrape.Parse(Encoding.UTF8.GetString(exported.ToArray()));
        Assert.True(
            scrape.Value("controller_runtime_reconcile_total", "controller=sshtunnelconnection", "result=success") >= names.Length,
            "every connection reconciled after the restart");
        Assert.DoesNotContain(Control.RecordedRequests, request => request is { Resource: "secrets", Verb: not ("list" or "watch") });
        Assert.Equal(0, Writes("sshtunnelconnections/status"));
    }

    [Fact]
    public async Task A_rotation_is_one_patch_of_the_secret_without_reading_it()
    {
        await CreateReadyAsync("fresh", rotateKeys: "1");
        await SettleAsync("fresh");
        Control.RecordRequests = true;

        await harness.AnnotateAsync("fresh", "2");
        var rotated = await harness.WaitAsync("fresh", connection => connection.Status?.Rotation?.Count == 1, "the rotation");
        await harness.WaitForIdleAsync(rotated.Metadata.ResourceVersion);

        var secretRequests = Control.RecordedRequests
            .Where(request => request is { Resource: "secrets", Verb: not ("list" or "watch") } && request.Name == KeySecretLayout.SecretName("fresh"))
            .Select(request => request.Verb)
            .ToList();
        Assert.Equal(["patch"], secretRequests);
    }

    [Fact]
    public async Task A_spec_change_and_a_removed_port_each_take_effect_in_one_write()
    {
        await CreateReadyAsync("moving");
        await SettleAsync("moving");

        await harness.ReplaceSpecAsync("moving", spec =>
        {
            spec["host"] = "bastion2.example.com";
            spec["port"] = 2222;
        });
        var moved = await harness.WaitAsync(
            "moving", connection => connection.Status?.Connection?.Port == 2222 && IsReady(connection), "the new connection in effect");
        await harness.WaitForIdleAsync(moved.Metadata.ResourceVersion);
        Assert.Equal(1, Writes("secrets"));
        Assert.Equal(1, Writes("sshtunnelconnections/status"));
        await SettleAsync("moving");
        Assert.Equal(new ConnectionParameters("bastion2.example.com", 2222, "materialize"), moved.Status!.Connection);
        var secret = (await harness.GetSecretAsync("moving"))!;
        Assert.Equal(("bastion2.example.com", "2222"), (Text(secret, KeySecretLayout.Host), Text(secret, KeySecretLayout.Port)));

        await harness.ReplaceSpecAsync("moving", spec => spec.Remove("port"));
        var reset = await harness.WaitAsync(
            "moving", connection => connection.Status?.Connection?.Port == 22 && IsReady(connection), "port 22 back in effect");
        await harness.WaitForIdleAsync(reset.Metadata.ResourceVersion);
        Assert.Equal(22, reset.Spec.Port);
        Assert.Equal("22", Text((await harness.GetSecretAsync("moving"))!, KeySecretLayout.Port));
        Assert.Equal(1, Writes("secrets"));
        Assert.Equal(1, Writes("sshtunnelconnections/status"));
    }
}
