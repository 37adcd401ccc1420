using System.Globalization;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Kube.Controller.Caching;
using Kube.Controller.Sources;
using Kube.Controller.Tests.Support;
using SshTunnel.Testing.Kubernetes;
using SshTunnel.Testing.Polling;

namespace Kube.Controller.Tests.Caching;

/// <summary>The informer against the emulator: list, watch, resume, relist, bookmarks, resync, scope.</summary>
public sealed class InformerTests : IAsyncLifetime
{
    private const string Selector = "app.kubernetes.io/managed-by=ssh-tunnel-operator";
    private const string Namespace = "informer";
    private readonly List<ResourceEvent<V1Secret>> seen = [];
    private EmulatedCluster cluster = null!;
    private CountingSource<V1Secret> source = null!;
    private CancellationTokenSource stop = null!;
    private Informer<V1Secret> informer = null!;
    private Task running = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        cluster = await EmulatedCluster.StartAsync(withCrds: false, bookmarkInterval: TimeSpan.FromMilliseconds(100));
        foreach (var name in new[] { Namespace, "other", "third" })
        {
            await cluster.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = name } });
        }

        source = new CountingSource<V1Secret>(ResourceSources.Secrets(cluster.ControllerClient, Selector));
        stop = new CancellationTokenSource();
    }

    public async Task DisposeAsync()
    {
        await stop.CancelAsync();
        await running;
        stop.Dispose();
        await cluster.DisposeAsync();
    }

    private void Start(InformerOptions? options = null, Func<V1Secret, V1Secret>? compact = null)
    {
        informer = new Informer<V1Secret>(
            source,
            options ?? new InformerOptions { ResyncPeriod = TimeSpan.Zero, RetryBackoff = new(TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(30)) },
            Polly.ResiliencePipeline.Empty,
            TimeProvider.System,
            NullLogger.Instance,
            compact);
        informer.AddHandler(change =>
        {
            lock (seen)
            {
                seen.Add(change);
            }
        });
        running = informer.RunAsync(stop.Token);
    }

    private List<(ResourceEventType Type, string Name)> Seen()
    {
        lock (seen)
        {
            return [.. seen.Select(change => (change.Type, change.Object.Metadata.Name))];
        }
    }

    private Task<V1Secret> Create(string name, bool managed = true) =>
        cluster.Client.CoreV1.CreateNamespacedSecretAsync(
            new V1Secret
            {
                ApiVersion = "v1",
                Kind = "Secret",
                Metadata = new V1ObjectMeta
                {
                    Name = name,
                    Labels = managed ? new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "ssh-tunnel-operator" } : null,
                },
                StringData = new Dictionary<string, string> { ["k"] = "v" },
            },
            Namespace);

    private Task Annotate(string name, string value) =>
        cluster.Client.CoreV1.PatchNamespacedSecretAsync(
            new V1Patch(new { metadata = new { annotations = new Dictionary<string, string> { ["touched"] = value } } }, V1Patch.PatchType.MergePatch),
            name,
            Namespace);

    [Fact]
    public async Task Lists_existing_objects_then_watches_changes()
    {
        await Create("before");
        await Create("unmanaged", managed: false);
        Start();
        await informer.Synced.WaitAsync(Eventually.DefaultTimeout);
        Assert.Equal(["before"], informer.List().Select(secret => secret.Metadata.Name));

        await Create("after");
        await Annotate("before", "1");
        await cluster.Client.CoreV1.DeleteNamespacedSecretAsync("after", Namespace);

        await Eventually.Until(() => Seen().Contains((ResourceEventType.Deleted, "after")), "the delete");
        Assert.Equal(
            [(ResourceEventType.Added, "before"), (ResourceEventType.Added, "after"), (ResourceEventType.Updated, "before"), (ResourceEventType.Deleted, "after")],
            Seen());
        Assert.Equal("1", informer.Get(new ObjectKey(Namespace, "before"))!.Metadata.Annotations["touched"]);
        Assert.Null(informer.Get(new ObjectKey(Namespace, "after")));
    }

    [Fact]
    public async Task A_list_longer_than_a_page_is_read_whole()
    {
        var names = Enumerable.Range(0, PagedList.PageSize + 20).Select(index => $"s{index:D4}").ToList();
        foreach (var chunk in names.Chunk(50))
        {
            await Task.WhenAll(chunk.Select(name => Create(name)));
        }

        cluster.Control.RecordRequests = true;
        Start();
        await informer.Synced.WaitAsync(Eventually.DefaultTimeout);

        Assert.Equal(names, informer.List().Select(secret => secret.Metadata.Name).Order());
        Assert.Equal(2, cluster.Control.RecordedRequests.Count(request => request.Verb == "list"));
        Assert.Equal(1, source.Lists);
    }

    [Fact]
    public async Task An_own_write_is_cached_only_over_the_version_it_replaced_and_is_not_reported()
    {
        await Create("a");
        Start();
        await informer.Synced.WaitAsync(Eventually.DefaultTimeout);
        var key = new ObjectKey(Namespace, "a");
        var cached = informer.Get(key)!;
        V1Secret Written(string version) => new()
        {
            Metadata = new V1ObjectMeta { Name = "a", NamespaceProperty = Namespace, ResourceVersion = version },
        };

        informer.Observe(Written("900"), replacedVersion: "1");
        Assert.Equal(cached.Metadata.ResourceVersion, informer.Get(key)!.Metadata.ResourceVersion);

        informer.Observe(Written("901"), replacedVersion: cached.Metadata.ResourceVersion);
        Assert.Equal("901", informer.Get(key)!.Metadata.ResourceVersion);

        informer.Observe(Written("902"), replacedVersion: null);
        Assert.Equal("901", informer.Get(key)!.Metadata.ResourceVersion);
        Assert.Equal([(ResourceEventType.Added, "a")], Seen());
    }

    [Fact]
    public async Task A_refresh_converts_again_only_the_version_the_cache_holds_and_is_not_reported()
    {
        var created = await Create("a");
        var conversions = 0;
        Start(compact: secret =>
        {
            conversions++;
            secret.Metadata.Labels ??= new Dictionary<string, string>();
            secret.Metadata.Labels["conversion"] = conversions.ToString(CultureInfo.InvariantCulture);
            return secret;
        });
        await informer.Synced.WaitAsync(Eventually.DefaultTimeout);
        var key = new ObjectKey(Namespace, "a");
        V1Secret Read(string version) => new()
        {
            Metadata = new V1ObjectMeta { Name = "a", NamespaceProperty = Namespace, ResourceVersion = version },
        };

        informer.Refresh(Read("900"));
        Assert.Equal("1", informer.Get(key)!.Metadata.Labels["conversion"]);

        informer.Refresh(Read(created.Metadata.ResourceVersion));
        Assert.NotEqual("1", informer.Get(key)!.Metadata.Labels["conversion"]);
        Assert.Equal([(ResourceEventType.Added, "a")], Seen());
    }

    [Fact]
    public async Task Reached_is_minus_one_until_listed_then_the_version_every_scope_has_heard_of()
    {
        Start(new InformerOptions { Namespaces = [Namespace, "other"], ResyncPeriod = TimeSpan.Zero });
        Assert.Equal(-1, informer.Reached());
        await informer.Synced.WaitAsync(Eventually.DefaultTimeout);
        Assert.True(informer.Reached() >= 0);

        var elsewhere = await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "unwatched" } }, "third");
        var version = long.Parse(elsewhere.Metadata.ResourceVersion, CultureInfo.InvariantCulture);

        await Eventually.Until(() => informer.Reached() >= version, "bookmarks of both namespaces past a write elsewhere");
        Assert.Null(informer.Behind(version));
    }

    [Fact]
    public async Task The_cache_is_behind_until_its_watch_delivered_the_version_asked_for_and_its_own_writes()
    {
        Start();
        await informer.Synced.WaitAsync(Eventually.DefaultTimeout);
        var created = await Create("a");
        var version = long.Parse(created.Metadata.ResourceVersion, CultureInfo.InvariantCulture);

        await Eventually.Until(() => informer.Behind(version) is null, "the watch to deliver the create");
        Assert.Contains((ResourceEventType.Added, "a"), Seen());
        Assert.Contains($"waiting for {version + 1000}", informer.Behind(version + 1000), StringComparison.Ordinal);

        var ownWrite = new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "a", NamespaceProperty = Namespace, ResourceVersion = (version + 3).ToString(CultureInfo.InvariantCulture) },
        };
        informer.Observe(ownWrite, created.Metadata.ResourceVersion);
        Assert.NotNull(informer.Behind(0));

        foreach (var name in new[] { "b", "c", "d" })
        {
            await Create(name, managed: false);
        }

        await Eventually.Until(() => informer.Behind(0) is null, "bookmarks past the own write");
    }

    [Fact]
    public async Task The_watch_event_of_an_own_write_already_observed_is_dropped_without_compacting_it()
    {
        var compacted = new List<string>();
        using var watchHeld = new SemaphoreSlim(0);
        using var release = new SemaphoreSlim(0);
        Start(compact: secret =>
        {
            lock (compacted)
            {
                compacted.Add(secret.Metadata.ResourceVersion);
            }

            if (secret.Metadata.Name == "gate")
            {
                // Holds the watch, so the own write below is observed before its watch event arrives.
                watchHeld.Release();
                release.Wait();
            }

            return secret;
        });
        await informer.Synced.WaitAsync(Eventually.DefaultTimeout);
        var created = await Create("a");
        await Eventually.Until(() => informer.Get(new ObjectKey(Namespace, "a")) is not null, "the watch to deliver the create");
        await Create("gate");
        Assert.True(await watchHeld.WaitAsync(Eventually.DefaultTimeout), "the watch to reach the gate");

        created.Data = new Dictionary<string, byte[]> { ["k"] = "w"u8.ToArray() };
        var written = await cluster.Client.CoreV1.ReplaceNamespacedSecretAsync(created, "a", Namespace);
        informer.Observe(written, created.Metadata.ResourceVersion);
        release.Release();
        await Eventually.Until(
            () => informer.Behind(long.Parse(written.Metadata.ResourceVersion, CultureInfo.InvariantCulture)) is null, "the watch to deliver the own write");

        lock (compacted)
        {
            Assert.Equal(1, compacted.Count(version => version == written.Metadata.ResourceVersion));
        }

        Assert.DoesNotContain((ResourceEventType.Updated, "a"), Seen());
    }

    [Fact]
    public async Task An_own_write_whose_event_arrives_before_its_answer_is_observed_is_not_reported()
    {
        var (created, key) = await StartWithCachedAsync("a");

        V1Secret written;
        using (informer.BeginWrite(key))
        {
            created.Data = new Dictionary<string, byte[]> { ["k"] = "w"u8.ToArray() };
            written = await cluster.Client.CoreV1.ReplaceNamespacedSecretAsync(created, "a", Namespace);
            await Eventually.Until(() => informer.Get(key)?.Metadata.ResourceVersion == written.Metadata.ResourceVersion, "the write's watch event, before the writer observes it");
            informer.Observe(written, created.Metadata.ResourceVersion);
        }

        Assert.DoesNotContain((ResourceEventType.Updated, "a"), Seen());
        Assert.Equal(written.Metadata.ResourceVersion, informer.Get(key)!.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task A_change_that_arrives_during_a_write_that_fails_is_reported_when_the_write_ends()
    {
        var (created, key) = await StartWithCachedAsync("a");

        V1Secret foreign;
        using (informer.BeginWrite(key))
        {
            created.Data = new Dictionary<string, byte[]> { ["k"] = "someone else"u8.ToArray() };
            foreign = await cluster.Client.CoreV1.ReplaceNamespacedSecretAsync(created, "a", Namespace);
            await Eventually.Until(() => informer.Get(key)?.Metadata.ResourceVersion == foreign.Metadata.ResourceVersion, "the foreign write's watch event");
            Assert.DoesNotContain((ResourceEventType.Updated, "a"), Seen());
        }

        Assert.Contains((ResourceEventType.Updated, "a"), Seen());
    }

    [Fact]
    public async Task A_change_after_an_own_write_within_the_same_write_is_reported()
    {
        var (created, key) = await StartWithCachedAsync("a");

        using (informer.BeginWrite(key))
        {
            created.Data = new Dictionary<string, byte[]> { ["k"] = "own"u8.ToArray() };
            var written = await cluster.Client.CoreV1.ReplaceNamespacedSecretAsync(created, "a", Namespace);
            written.Data = new Dictionary<string, byte[]> { ["k"] = "someone else"u8.ToArray() };
            var foreign = await cluster.Client.CoreV1.ReplaceNamespacedSecretAsync(written, "a", Namespace);
            await Eventually.Until(() => informer.Get(key)?.Metadata.ResourceVersion == foreign.Metadata.ResourceVersion, "both watch events");
            informer.Observe(written, created.Metadata.ResourceVersion);
        }

        Assert.Single(Seen(), change => change == (ResourceEventType.Updated, "a"));
    }

    /// <summary>Starts the informer on a Secret it then holds: the one a write test writes.</summary>
    private async Task<(V1Secret Created, ObjectKey Key)> StartWithCachedAsync(string name)
    {
        Start();
        await informer.Synced.WaitAsync(Eventually.DefaultTimeout);
        var created = await Create(name);
        var key = new ObjectKey(Namespace, name);
        await Eventually.Until(() => informer.Get(key) is not null, "the watch to deliver the create");
        return (created, key);
    }

    [Fact]
    public async Task Every_annotation_change_is_an_event_although_generation_stays()
    {
        await Create("a");
        Start();
        await informer.Synced.WaitAsync(Eventually.DefaultTimeout);

        await Annotate("a", "1");
        await Annotate("a", "2");

        await Eventually.Until(() => Seen().Count(change => change.Type == ResourceEventType.Updated) == 2, "two updates");
    }

    [Fact]
    public async Task A_closed_watch_resumes_from_the_last_version_without_relisting()
    {
        await Create("a");
        Start();
        await informer.Synced.WaitAsync(Eventually.DefaultTimeout);
        await Annotate("a", "1");
        await Eventually.Until(() => Seen().Count == 2, "the update");

        cluster.Control.CloseAllWatches();
        await Eventually.Until(() => source.Watches >= 2, "a second watch");
        await Annotate("a", "2");

        await Eventually.Until(() => Seen().Count == 3, "the update after the resumed watch");
        Assert.Equal(1, source.Lists);
        Assert.All(Seen().Skip(1), change => Assert.Equal(ResourceEventType.Updated, change.Type));
    }

    [Fact]
    public async Task A_failing_watch_is_retried_from_the_same_version()
    {
        await Create("a");
        Start();
        await informer.Synced.WaitAsync(Eventually.DefaultTimeout);
        await Annotate("a", "0");
        await Eventually.Until(() => Seen().Contains((ResourceEventType.Updated, "a")), "the first watch to deliver");

        cluster.Control.FailNext(3, request => request.Verb == "watch", new Kube.Emulator.EmulatorFault.ServerError(500));
        cluster.Control.CloseAllWatches();
        await Eventually.Until(() => source.Watches >= 5, "three failed watches and a good one");
        await Annotate("a", "1");

        await Eventually.Until(() => Seen().Count(change => change.Type == ResourceEventType.Updated) == 2, "the update through the recovered watch");
        Assert.Equal(1, source.Lists);
        lock (source.WatchedFrom)
        {
            Assert.Single(source.WatchedFrom.Skip(1).Distinct());
        }
    }

    [Fact]
    public async Task An_expired_version_relists_and_reports_objects_deleted_meanwhile()
    {
        await Create("kept");
        await Create("gone");
        Start(new InformerOptions { ResyncPeriod = TimeSpan.Zero, RetryBackoff = new(TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(30)) });
        await informer.Synced.WaitAsync(Eventually.DefaultTimeout);
        await Create("noise", managed: false);

        source.HoldWatches();
        cluster.Control.CloseAllWatches();
        await cluster.Client.CoreV1.DeleteNamespacedSecretAsync("gone", Namespace);
        await Annotate("kept", "1");
        cluster.Control.CompactHistory();
        source.ReleaseWatches();

        await Eventually.Until(() => Seen().Contains((ResourceEventType.Deleted, "gone")), "the missed delete");
        await Eventually.Until(() => Seen().Contains((ResourceEventType.Updated, "kept")), "the missed update");
        Assert.Equal(2, source.Lists);
        Assert.Equal(["kept"], informer.List().Select(secret => secret.Metadata.Name));
    }

    [Fact]
    public async Task Bookmarks_advance_the_version_so_a_compacted_history_needs_no_relist()
    {
        await Create("a");
        Start();
        await informer.Synced.WaitAsync(Eventually.DefaultTimeout);
        var unrelated = await Create("unrelated", managed: false);
        var latest = long.Parse(unrelated.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture);

        await Eventually.Until(() => source.LastBookmark >= latest, "a bookmark past the unrelated write");
        var watchesBefore = source.Watches;
        cluster.Control.CompactHistory();
        cluster.Control.CloseAllWatches();
        await Eventually.Until(() => source.Watches > watchesBefore, "a watch after the bookmark");
        await Annotate("a", "1");
        await Eventually.Until(() => Seen().Contains((ResourceEventType.Updated, "a")), "the update through the resumed watch");

        Assert.Equal(1, source.Lists);
        lock (source.WatchedFrom)
        {
            Assert.True(long.Parse(source.WatchedFrom[^1], System.Globalization.CultureInfo.InvariantCulture) >= latest);
        }
    }

    [Fact]
    public async Task Resync_hands_out_every_cached_object_again()
    {
        await Create("a");
        await Create("b");
        Start(new InformerOptions { ResyncPeriod = TimeSpan.FromMilliseconds(50) });
        await informer.Synced.WaitAsync(Eventually.DefaultTimeout);

        await Eventually.Until(
            () => Seen().Where(change => change.Type == ResourceEventType.Resync).Select(change => change.Name).ToHashSet().SetEquals(["a", "b"]),
            "a resync of both");
    }

    [Fact]
    public async Task Only_the_namespaces_in_scope_are_watched()
    {
        await Create("in-scope");
        await cluster.Client.CoreV1.CreateNamespacedSecretAsync(
            new V1Secret
            {
                ApiVersion = "v1",
                Kind = "Secret",
                Metadata = new V1ObjectMeta
                {
                    Name = "elsewhere",
                    Labels = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "ssh-tunnel-operator" },
                },
            },
            "other");
        Start(new InformerOptions { Namespaces = [Namespace, "third"], ResyncPeriod = TimeSpan.Zero });

        await informer.Synced.WaitAsync(Eventually.DefaultTimeout);
        Assert.Equal(["in-scope"], informer.List().Select(secret => secret.Metadata.Name));
        Assert.Equal(2, source.Lists);
    }
}
