using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Kube.Emulator.Tests.Watch;

[Collection(EmulatorCollection.Name)]
public sealed class WatchStreamerTests(EmulatorFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly Kubernetes client = fixture.Client;

    [Fact]
    public async Task Watch_from_a_list_version_sees_later_changes_in_order()
    {
        var ns = await fixture.NewNamespaceAsync();
        var list = await client.CoreV1.ListNamespacedSecretAsync(ns);
        using var stop = new CancellationTokenSource(Patience);
        var events = new List<(WatchEventType, string, string)>();
        var watching = Task.Run(async () =>
        {
            await foreach (var (type, item) in client.CoreV1.WatchListNamespacedSecretAsync(ns, resourceVersion: list.Metadata.ResourceVersion, cancellationToken: stop.Token))
            {
                events.Add((type, item.Metadata.Name, item.Metadata.ResourceVersion));
                if (events.Count == 3)
                {
                    return;
                }
            }
        });

        var created = await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "w" } }, ns);
        created.Metadata.Labels = new Dictionary<string, string> { ["x"] = "y" };
        var updated = await client.CoreV1.ReplaceNamespacedSecretAsync(created, "w", ns);
        await client.CoreV1.DeleteNamespacedSecretAsync("w", ns);
        await watching;

        Assert.Equal([WatchEventType.Added, WatchEventType.Modified, WatchEventType.Deleted], events.Select(item => item.Item1));
        Assert.Equal(created.Metadata.ResourceVersion, events[0].Item3);
        Assert.Equal(updated.Metadata.ResourceVersion, events[1].Item3);
        Assert.True(long.Parse(events[2].Item3) > long.Parse(updated.Metadata.ResourceVersion));
    }

    [Fact]
    public async Task Watch_without_version_starts_with_the_current_objects()
    {
        var ns = await fixture.NewNamespaceAsync();
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "existing" } }, ns);
        using var stop = new CancellationTokenSource(Patience);

        await foreach (var (type, item) in client.CoreV1.WatchListNamespacedConfigMapAsync(ns, cancellationToken: stop.Token))
        {
            Assert.Equal(WatchEventType.Added, type);
            Assert.Equal("existing", item.Metadata.Name);
            break;
        }
    }

    [Fact]
    public async Task Bookmarks_arrive_when_asked_for()
    {
        var ns = await fixture.NewNamespaceAsync();
        var list = await client.CoreV1.ListNamespacedConfigMapAsync(ns);
        using var stop = new CancellationTokenSource(Patience);

        await foreach (var (type, item) in client.CoreV1.WatchListNamespacedConfigMapAsync(ns, allowWatchBookmarks: true, resourceVersion: list.Metadata.ResourceVersion, cancellationToken: stop.Token))
        {
            Assert.Equal(WatchEventType.Bookmark, type);
            Assert.True(long.Parse(item.Metadata.ResourceVersion) >= long.Parse(list.Metadata.ResourceVersion));
            break;
        }
    }

    [Fact]
    public async Task Watch_from_a_compacted_version_gets_an_expired_error_event()
    {
        var ns = await fixture.NewNamespaceAsync();
        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "old" } }, ns);
        var old = long.Parse(created.Metadata.ResourceVersion) - 1;
        fixture.Emulator.Control.CompactHistory();
        using var http = new HttpClient { BaseAddress = fixture.Emulator.BaseAddress, Timeout = Patience };

        var body = await http.GetStringAsync($"/api/v1/namespaces/{ns}/configmaps?watch=true&resourceVersion={old}");

        var line = JsonNode.Parse(body.Trim())!;
        Assert.Equal("ERROR", line["type"]!.GetValue<string>());
        Assert.Equal(410, line["object"]!["code"]!.GetValue<int>());
        Assert.Equal("Expired", line["object"]!["reason"]!.GetValue<string>());
        Assert.StartsWith($"too old resource version: {old} (", line["object"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kubernetes_client_reports_the_expired_watch_through_on_error()
    {
        var ns = await fixture.NewNamespaceAsync();
        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "old" } }, ns);
        fixture.Emulator.Control.CompactHistory();
        using var stop = new CancellationTokenSource(Patience);
        var seen = new List<WatchEventType>();
        var errors = new List<Exception>();

        await foreach (var (type, item) in client.CoreV1.WatchListNamespacedConfigMapAsync(ns, resourceVersion: (long.Parse(created.Metadata.ResourceVersion) - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), onError: errors.Add, cancellationToken: stop.Token))
        {
            seen.Add(type);
        }

        Assert.Empty(seen);
        var expired = Assert.IsType<KubernetesException>(Assert.Single(errors));
        Assert.Equal(410, expired.Status.Code);
        Assert.Equal("Expired", expired.Status.Reason);
    }

    [Fact]
    public async Task Object_that_stops_matching_the_selector_is_sent_as_deleted()
    {
        var ns = await fixture.NewNamespaceAsync();
        var list = await client.CoreV1.ListNamespacedConfigMapAsync(ns);
        using var stop = new CancellationTokenSource(Patience);
        var events = new List<(WatchEventType, string?)>();
        var watching = Task.Run(async () =>
        {
            await foreach (var (type, item) in client.CoreV1.WatchListNamespacedConfigMapAsync(ns, labelSelector: "team=a", resourceVersion: list.Metadata.ResourceVersion, cancellationToken: stop.Token))
            {
                events.Add((type, (item.Metadata.Labels is { } teamLabels && teamLabels.TryGetValue("team", out var team) ? team : null)));
                if (events.Count == 3)
                {
                    return;
                }
            }
        });

        var map = await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "m", Labels = new Dictionary<string, string> { ["team"] = "b" } } }, ns);
        map.Metadata.Labels["team"] = "a";
        map = await client.CoreV1.ReplaceNamespacedConfigMapAsync(map, "m", ns);
        map.Metadata.Labels["team"] = "c";
        map = await client.CoreV1.ReplaceNamespacedConfigMapAsync(map, "m", ns);
        map.Metadata.Labels["team"] = "a";
        await client.CoreV1.ReplaceNamespacedConfigMapAsync(map, "m", ns);
        await watching;

        Assert.Equal([(WatchEventType.Added, "a"), (WatchEventType.Deleted, "a"), (WatchEventType.Added, "a")], events);
    }

    [Fact]
    public async Task Close_all_watches_ends_streams_cleanly()
    {
        var ns = await fixture.NewNamespaceAsync();
        using var stop = new CancellationTokenSource(Patience);
        var started = new TaskCompletionSource();
        var watching = Task.Run(async () =>
        {
            await foreach (var (type, item) in client.CoreV1.WatchListNamespacedSecretAsync(ns, allowWatchBookmarks: true, cancellationToken: stop.Token))
            {
                started.TrySetResult();
            }
        });
        await started.Task.WaitAsync(Patience);

        fixture.Emulator.Control.CloseAllWatches();

        await watching.WaitAsync(Patience);
        Assert.False(stop.IsCancellationRequested);
    }

    [Theory]
    [InlineData("timeoutSeconds=1")]
    [InlineData("timeout=1s")]
    [InlineData("timeout=500ms")]
    public async Task Timeout_ends_the_watch(string timeout)
    {
        var ns = await fixture.NewNamespaceAsync();
        using var http = new HttpClient { BaseAddress = fixture.Emulator.BaseAddress, Timeout = Patience };

        var response = await http.GetAsync($"/api/v1/namespaces/{ns}/secrets?watch=1&{timeout}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(string.Empty, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Send_initial_events_ends_with_a_marked_bookmark()
    {
        var ns = await fixture.NewNamespaceAsync();
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "initial" } }, ns);
        using var http = new HttpClient { BaseAddress = fixture.Emulator.BaseAddress, Timeout = Patience };
        using var stream = await http.GetStreamAsync($"/api/v1/namespaces/{ns}/secrets?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true");
        using var reader = new StreamReader(stream);

        var first = JsonNode.Parse((await reader.ReadLineAsync())!)!;
        var second = JsonNode.Parse((await reader.ReadLineAsync())!)!;

        Assert.Equal("ADDED", first["type"]!.GetValue<string>());
        Assert.Equal("BOOKMARK", second["type"]!.GetValue<string>());
        Assert.Equal("true", second["object"]!["metadata"]!["annotations"]!["k8s.io/initial-events-end"]!.GetValue<string>());
    }

    [Fact]
    public async Task All_namespaces_watch_sees_every_namespace()
    {
        var first = await fixture.NewNamespaceAsync();
        var second = await fixture.NewNamespaceAsync();
        var list = await client.CustomObjects.ListClusterCustomObjectAsync(Widgets.Group, Widgets.Version, Widgets.Plural);
        var version = Widgets.ToNode(list)["metadata"]!["resourceVersion"]!.GetValue<string>();
        using var stop = new CancellationTokenSource(Patience);
        var seen = new HashSet<string>();
        var watching = Task.Run(async () =>
        {
            await foreach (var (type, item) in client.CustomObjects.WatchListCustomObjectForAllNamespacesAsync(Widgets.Group, Widgets.Version, Widgets.Plural, resourceVersion: version, cancellationToken: stop.Token))
            {
                var itemNamespace = Widgets.ToNode(item)["metadata"]!["namespace"]!.GetValue<string>();
                if (itemNamespace == first || itemNamespace == second)
                {
                    seen.Add(itemNamespace);
                }

                if (seen.Count == 2)
                {
                    return;
                }
            }
        });

        await Widgets.CreateAsync(client, first, Widgets.New("one"));
        await Widgets.CreateAsync(client, second, Widgets.New("two"));
        await watching.WaitAsync(Patience);

        Assert.Equal(2, seen.Count);
    }
}
