using System.Text;
using k8s.Models;
using Kube.Emulator;
using SshTunnel.Api;
using SshTunnel.Core.Secrets;
using SshTunnel.Operator.Hosting;
using SshTunnel.Operator.Tests.Testing;
using SshTunnel.Testing.Polling;
using static SshTunnel.Operator.Tests.Testing.OperatorHarness;

namespace SshTunnel.Operator.Tests.Reconciliation;

/// <summary>
/// A rotation through requests that hang (with the operator's <c>--api-timeout</c> at one second)
/// or whose reply is lost after the API server stored the write.
/// </summary>
public sealed class ApiFaultTests : IAsyncLifetime
{
    private static readonly TimeSpan ApiTimeout = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Well below the 30 s a hung call held a connection before the flag, and many times the
    /// bound: a few timed-out attempts and their backoff fit in it on a loaded machine.
    /// </summary>
    private static readonly TimeSpan BoundedPatience = TimeSpan.FromSeconds(20);

    private OperatorHarness harness = null!;

    private EmulatorControl Control => harness.Cluster.Control;

    public async Task InitializeAsync() =>
        harness = await OperatorHarness.StartAsync(new OperatorOptions { Workers = 2, ApiTimeout = ApiTimeout });

    public async Task DisposeAsync()
    {
        Control.ClearFaults();
        await harness.DisposeAsync();
    }

    private static string Text(V1Secret secret, string key) => Encoding.UTF8.GetString(secret.Data[key]);

    private static bool StatusWriteOf(RequestInfo request, string name) =>
        request is { Resource: "sshtunnelconnections", Subresource: "status", Verb: "update" } && request.Name == name;

    private async Task<SshTunnelConnection> CreateSettledAsync(string name)
    {
        await harness.CreateAsync(name, Spec(), rotateKeys: "1");
        var ready = await harness.WaitAsync(name, connection => HasKeys(connection) && IsReady(connection), $"{name} ready with keys");
        await harness.WaitForIdleAsync(ready.Metadata.ResourceVersion);
        return await harness.GetAsync(name);
    }

    /// <summary>One rotation in status and in the Secret, the key that was pair 2 now pair 1, status and Secret agreeing.</summary>
    private async Task AssertRotatedOnceAsync(string name, SshTunnelConnection before)
    {
        var after = await harness.GetAsync(name);
        var secret = (await harness.GetSecretAsync(name))!;
        Assert.Equal(1, after.Status!.Rotation!.Count);
        Assert.Equal("1", secret.Metadata.Annotations[KeySecretLayout.RotationCountAnnotation]);
        Assert.Equal(before.Status!.PublicKey2, after.Status.PublicKey1);
        Assert.Equal(after.Status.PublicKey1, Text(secret, KeySecretLayout.PublicKey1).Trim());
        Assert.Equal(after.Status.PublicKey2, Text(secret, KeySecretLayout.PublicKey2).Trim());
    }

    [Fact]
    public async Task A_hung_status_write_after_a_rotation_is_cut_off_by_the_api_timeout_and_the_status_follows()
    {
        var before = await CreateSettledAsync("hung");
        Control.RecordRequests = true;
        Control.FailNext(1, request => StatusWriteOf(request, "hung"), new EmulatorFault.Timeout());

        await harness.AnnotateAsync("hung", "2");
        var after = await Eventually.Until(
            () => harness.GetAsync("hung"),
            connection => connection.Status?.Rotation?.Count == 1,
            "the rotation in status while the hung write is still held",
            BoundedPatience);
        await harness.WaitForIdleAsync(after.Metadata.ResourceVersion);

        Assert.True(Control.RecordedRequests.Count(request => StatusWriteOf(request, "hung")) >= 2, "the hung write and the one after it");
        await AssertRotatedOnceAsync("hung", before);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_lost_reply_to_the_rotating_secret_write_rotates_once_and_keeps_pair_2(bool resetConnection)
    {
        var name = resetConnection ? "reset" : "lost";
        var before = await CreateSettledAsync(name);
        Control.ResetCounters();
        Control.FailNext(
            1,
            request => request is { Resource: "secrets", Verb: "patch" } && request.Name == KeySecretLayout.SecretName(name),
            new EmulatorFault.CommitThenFail(resetConnection));

        var annotated = await harness.AnnotateAsync(name, "2");
        await harness.WaitAsync(name, connection => connection.Status?.Rotation?.Count >= 1, "the rotation in status");
        await harness.WaitForIdleAsync(annotated.Metadata.ResourceVersion);

        await AssertRotatedOnceAsync(name, before);
        Assert.True(Control.WriteCount("secrets") >= 2, "the write whose reply was lost and the one after it");
    }
}
