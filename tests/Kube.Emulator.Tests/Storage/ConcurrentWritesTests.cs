using System.Diagnostics;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Xunit.Abstractions;

namespace Kube.Emulator.Tests.Storage;

/// <summary>
/// Eight clients write Secrets and custom resource status concurrently while watches are open: every write must
/// reach the watchers exactly once and in resourceVersion order. The write rate is printed, never asserted.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class ConcurrentWritesTests(EmulatorFixture fixture, ITestOutputHelper output)
{
    private const int Writers = 8;
    private const int WritesPerWriter = 150;

    [Fact]
    public async Task Concurrent_writers_with_watches_open_lose_no_event()
    {
        var ns = await fixture.NewNamespaceAsync();
        var clients = Enumerable.Range(0, Writers).Select(_ => fixture.NewClient()).ToList();
        var widgets = new List<JsonObject>();
        for (var index = 0; index < Writers; index++)
        {
            widgets.Add(await Widgets.CreateAsync(fixture.Client, ns, Widgets.New("load-" + index)));
        }

        var start = await fixture.Client.CoreV1.ListNamespacedSecretAsync(ns);
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var secretEvents = 0;
        var widgetEvents = 0;
        var ordered = true;
        var secretsSeen = Count(fixture.Client.CoreV1.WatchListNamespacedSecretAsync(ns, resourceVersion: start.Metadata.ResourceVersion, cancellationToken: stop.Token), Writers * WritesPerWriter, () => Interlocked.Increment(ref secretEvents), version => ordered &= version > 0);
        var widgetsSeen = CountWidgets(ns, start.Metadata.ResourceVersion, Writers * WritesPerWriter, () => Interlocked.Increment(ref widgetEvents), stop.Token);

        var clock = Stopwatch.StartNew();
        await Task.WhenAll(clients.Select((client, writer) => Task.Run(async () =>
        {
            var widget = widgets[writer];
            for (var index = 0; index < WritesPerWriter; index++)
            {
                await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = $"s-{writer}-{index}" }, StringData = new Dictionary<string, string> { ["k"] = "v" } }, ns);
                widget["status"] = new JsonObject { ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True", ["reason"] = "R" + index }) };
                widget = await Widgets.ReplaceStatusAsync(client, ns, widget);
            }
        })));
        var elapsed = clock.Elapsed;
        await Task.WhenAll(secretsSeen, widgetsSeen);

        var writes = 2 * Writers * WritesPerWriter;
        output.WriteLine($"{writes} writes by {Writers} clients in {elapsed.TotalMilliseconds:F0} ms: {writes / elapsed.TotalSeconds:F0} writes/s (watches open)");
        Assert.Equal(Writers * WritesPerWriter, secretEvents);
        Assert.Equal(Writers * WritesPerWriter, widgetEvents);
        Assert.True(ordered);
        clients.ForEach(client => client.Dispose());
    }

    private static async Task Count(IAsyncEnumerable<(WatchEventType, V1Secret)> events, int expected, Action counted, Action<long> version)
    {
        var last = 0L;
        var seen = 0;
        await foreach (var (type, item) in events)
        {
            var current = long.Parse(item.Metadata.ResourceVersion);
            version(current - last);
            last = current;
            counted();
            if (++seen == expected)
            {
                return;
            }
        }
    }

    private async Task CountWidgets(string ns, string resourceVersion, int expected, Action counted, CancellationToken cancellationToken)
    {
        var seen = 0;
        await foreach (var (type, item) in fixture.Client.CustomObjects.WatchListNamespacedCustomObjectAsync(Widgets.Group, Widgets.Version, ns, Widgets.Plural, resourceVersion: resourceVersion, cancellationToken: cancellationToken))
        {
            if (type == WatchEventType.Modified)
            {
                counted();
                if (++seen == expected)
                {
                    return;
                }
            }
        }
    }
}
