using System.Diagnostics;
using System.Text.Json.Nodes;
using SshTunnel.Testing.Kubernetes;

namespace Kube.Emulator.Tests.Hosting;

/// <summary>
/// <c>kubectl wait</c> on objects whose condition already holds, against an emulator that sends bookmarks as
/// rarely as the real server (about once a minute): it returns as soon as the watch is open, because the watch
/// response's headers are flushed at once, not with the first event.
/// </summary>
public sealed class KubectlWaitTests : IAsyncLifetime
{
    private readonly EmulatorFixture fixture = new() { BookmarkInterval = TimeSpan.FromMinutes(1) };

    public Task InitializeAsync() => fixture.InitializeAsync();

    public Task DisposeAsync() => fixture.DisposeAsync();

    [Fact]
    public async Task Wait_on_several_objects_already_ready_returns_well_within_the_timeout()
    {
        var ns = await fixture.NewNamespaceAsync();
        string[] names = ["w1", "w2", "w3", "w4"];
        foreach (var name in names)
        {
            var widget = await Widgets.CreateAsync(fixture.Client, ns, Widgets.New(name));
            widget["status"] = new JsonObject { ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True", ["reason"] = "Done", ["message"] = "ok", ["lastTransitionTime"] = "2026-01-01T00:00:00Z" }) };
            await Widgets.ReplaceStatusAsync(fixture.Client, ns, widget);
        }

        var elapsed = Stopwatch.StartNew();
        var waited = (await new Kubectl(fixture.KubeconfigPath, fixture.WorkDirectory).TryRunAsync(["wait", "-n", ns, "--for=condition=Ready", "--timeout=20s", .. names.Select(name => "widget/" + name)])).Succeeded();
        elapsed.Stop();

        Assert.Equal(names.Length, waited.Output.Split('\n').Count(line => line.EndsWith("condition met", StringComparison.Ordinal)));
        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(20), "kubectl wait took " + elapsed.Elapsed);
    }
}
