using System.Text;
using System.Text.Json.Nodes;
using SshTunnel.Testing.OperatorHost;

namespace SshTunnel.EndToEnd.Tests.AnyCluster;

/// <summary>
/// What only the emulator can do on demand: lose the reply to a write it committed. On a real
/// cluster these tests are skipped, saying why.
/// </summary>
[Trait(OperatorProcess.TraitName, OperatorProcess.TraitValue)]
public sealed class LostReplyTests(EndToEndFixture fixture) : IClassFixture<EndToEndFixture>
{
    private const string NeedsEmulator =
        "needs the emulator's control surface (faults, write counts), which a real cluster does not have; unset " + TargetCluster.KubeconfigVariable + " to run it";

    [SkippableFact]
    public async Task A_rotation_whose_reply_is_lost_after_the_commit_happens_once()
    {
        Skip.If(fixture.Cluster.Control is null, NeedsEmulator);
        var control = fixture.Cluster.Control!;
        await fixture.Cluster.ApplyAsync("""
            apiVersion: sshtunnels.io/v1alpha1
            kind: SshTunnelConnection
            metadata:
              name: lost-reply
            spec:
              host: bastion.example.com
              user: tunnel
              validate: false
            """);
        await fixture.WaitForAsync("stc/lost-reply", "{.status.publicKey1}", key => key.Length > 0, "public key 1");
        var key2 = await fixture.WaitForAsync("stc/lost-reply", "{.status.publicKey2}", key => key.Length > 0, "public key 2");
        await fixture.Operator.WaitForIdleAsync();
        await control.ResetCountersAsync();
        await control.FailNextAsync(
            1,
            new JsonObject { ["verb"] = "patch", ["resource"] = "secrets", ["namespace"] = fixture.Cluster.Namespace, ["name"] = "lost-reply-ssh-keys" },
            new JsonObject { ["type"] = "CommitThenFail", ["reset"] = true });

        await fixture.KubectlAsync("annotate", "stc/lost-reply", "sshtunnels.io/rotate-keys=2000000000", "--overwrite");
        await fixture.WaitForAsync("stc/lost-reply", "{.status.rotation.count}", count => count == "1", "the rotation in the status");
        await fixture.Operator.WaitForIdleAsync();

        Assert.Equal(key2, await fixture.KubectlAsync("get", "stc/lost-reply", "-o", "jsonpath={.status.publicKey1}"));
        Assert.Equal("1", await fixture.KubectlAsync("get", "secret", "lost-reply-ssh-keys", "-o", "jsonpath={.metadata.annotations.sshtunnels\\.io/rotation-count}"));
        Assert.Equal(
            await fixture.KubectlAsync("get", "stc/lost-reply", "-o", "jsonpath={.status.publicKey2}"),
            Encoding.UTF8.GetString(Convert.FromBase64String(await fixture.KubectlAsync("get", "secret", "lost-reply-ssh-keys", "-o", "jsonpath={.data.public-key-2}"))).Trim());
        Assert.True((await control.WritesAsync()).GetValueOrDefault("secrets") >= 2, "the write whose reply was lost and the one after it");
    }
}
