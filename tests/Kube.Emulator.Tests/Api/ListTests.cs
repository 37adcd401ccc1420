using System.Net;
using k8s;
using k8s.Models;

namespace Kube.Emulator.Tests.Api;

[Collection(EmulatorCollection.Name)]
public sealed class ListTests(EmulatorFixture fixture)
{
    private readonly Kubernetes client = fixture.Client;

    [Theory]
    [InlineData("tier=web", "a")]
    [InlineData("tier==web", "a")]
    [InlineData("tier!=web", "b,c")]
    [InlineData("tier in (web,db)", "a,b")]
    [InlineData("tier notin (web,db)", "c")]
    [InlineData("tier", "a,b")]
    [InlineData("!tier", "c")]
    [InlineData("tier=web,zone=x", "a")]
    public async Task Label_selectors_filter_like_the_real_server(string selector, string expected)
    {
        var ns = await fixture.NewNamespaceAsync();
        await Create(ns, "a", new() { ["tier"] = "web", ["zone"] = "x" });
        await Create(ns, "b", new() { ["tier"] = "db" });
        await Create(ns, "c", new() { ["zone"] = "y" });

        var list = await client.CoreV1.ListNamespacedConfigMapAsync(ns, labelSelector: selector);

        Assert.Equal(expected, string.Join(',', list.Items.Select(item => item.Metadata.Name)));
    }

    [Fact]
    public async Task Field_selectors_on_name_work_and_unknown_fields_are_400()
    {
        var ns = await fixture.NewNamespaceAsync();
        await Create(ns, "a", []);
        await Create(ns, "b", []);

        var byName = await client.CoreV1.ListNamespacedConfigMapAsync(ns, fieldSelector: "metadata.name=b");
        Assert.Equal("b", Assert.Single(byName.Items).Metadata.Name);
        var notName = await client.CoreV1.ListNamespacedConfigMapAsync(ns, fieldSelector: "metadata.name!=b");
        Assert.Equal("a", Assert.Single(notName.Items).Metadata.Name);

        var failure = await Widgets.FailsAsync(() => client.CoreV1.ListNamespacedConfigMapAsync(ns, fieldSelector: "spec.foo=1"));
        Widgets.AssertStatus(failure, HttpStatusCode.BadRequest, "BadRequest", "field label not supported: spec.foo");
        var customFailure = await Widgets.FailsAsync(() => client.CustomObjects.ListNamespacedCustomObjectAsync(Widgets.Group, Widgets.Version, ns, Widgets.Plural, fieldSelector: "spec.color=red"));
        Widgets.AssertStatus(customFailure, HttpStatusCode.BadRequest, "BadRequest", "\"spec.color\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"");
    }

    [Fact]
    public async Task Limit_and_continue_page_through_a_consistent_version()
    {
        var ns = await fixture.NewNamespaceAsync();
        foreach (var name in new[] { "a", "b", "c", "d", "e" })
        {
            await Create(ns, name, []);
        }

        var first = await client.CoreV1.ListNamespacedConfigMapAsync(ns, limit: 2);
        var second = await client.CoreV1.ListNamespacedConfigMapAsync(ns, limit: 2, continueParameter: first.Metadata.ContinueProperty);
        var third = await client.CoreV1.ListNamespacedConfigMapAsync(ns, limit: 2, continueParameter: second.Metadata.ContinueProperty);

        Assert.Equal(["a", "b"], first.Items.Select(item => item.Metadata.Name));
        Assert.Equal(3, first.Metadata.RemainingItemCount);
        Assert.Equal(["c", "d"], second.Items.Select(item => item.Metadata.Name));
        Assert.Equal(["e"], third.Items.Select(item => item.Metadata.Name));
        Assert.Null(third.Metadata.ContinueProperty);
        Assert.Equal(first.Metadata.ResourceVersion, third.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Continue_pages_come_from_the_first_page_snapshot_while_objects_change()
    {
        var ns = await fixture.NewNamespaceAsync();
        foreach (var name in new[] { "a", "b", "c", "d" })
        {
            await Create(ns, name, new() { ["round"] = "1" });
        }

        var first = await client.CoreV1.ListNamespacedConfigMapAsync(ns, limit: 2);
        var changed = await client.CoreV1.ReadNamespacedConfigMapAsync("c", ns);
        changed.Metadata.Labels["round"] = "2";
        await client.CoreV1.ReplaceNamespacedConfigMapAsync(changed, "c", ns);
        await client.CoreV1.DeleteNamespacedConfigMapAsync("d", ns);
        await Create(ns, "e", new() { ["round"] = "2" });
        var second = await client.CoreV1.ListNamespacedConfigMapAsync(ns, limit: 2, continueParameter: first.Metadata.ContinueProperty);
        var now = await client.CoreV1.ListNamespacedConfigMapAsync(ns);

        Assert.Equal(["c", "d"], second.Items.Select(item => item.Metadata.Name));
        Assert.All(second.Items, item => Assert.Equal("1", item.Metadata.Labels["round"]));
        Assert.Null(second.Metadata.ContinueProperty);
        Assert.Equal(first.Metadata.ResourceVersion, second.Metadata.ResourceVersion);
        Assert.Equal(["a", "b", "c", "e"], now.Items.Select(item => item.Metadata.Name));
    }

    [Fact]
    public async Task Continue_token_older_than_the_compacted_history_is_410()
    {
        var ns = await fixture.NewNamespaceAsync();
        await Create(ns, "a", []);
        await Create(ns, "b", []);
        var first = await client.CoreV1.ListNamespacedConfigMapAsync(ns, limit: 1);
        await Create(ns, "c", []);
        fixture.Emulator.Control.CompactHistory();

        var failure = await Widgets.FailsAsync(() => client.CoreV1.ListNamespacedConfigMapAsync(ns, limit: 1, continueParameter: first.Metadata.ContinueProperty));

        Assert.Equal(HttpStatusCode.Gone, failure.Response.StatusCode);
        Assert.Equal("Expired", Widgets.Status(failure)["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task All_namespaces_list_spans_namespaces()
    {
        var first = await fixture.NewNamespaceAsync();
        var second = await fixture.NewNamespaceAsync();
        var label = fixture.UniqueName("mark");
        await Create(first, "x", new() { ["mark"] = label });
        await Create(second, "x", new() { ["mark"] = label });

        var list = await client.CoreV1.ListConfigMapForAllNamespacesAsync(labelSelector: "mark=" + label);

        Assert.Equal([first, second], list.Items.Select(item => item.Metadata.NamespaceProperty).Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// A resource no CRD serves (the group may be served for other resources) reaches the end of
    /// the real server's handler chain, Go's http.NotFound: a plain-text 404, not a Status.
    /// </summary>
    [Theory]
    [InlineData("/apis/example.com/v1/namespaces/{0}/gadgets")]
    [InlineData("/apis/example.com/v1/gadgets?limit=1")]
    [InlineData("/apis/example.com/v1/namespaces/{0}/gadgets?watch=true&allowWatchBookmarks=true&resourceVersion=1")]
    [InlineData("/apis/absent.example.org/v1/namespaces/{0}/things?watch=1")]
    public async Task A_list_or_watch_of_a_resource_no_CRD_serves_is_the_real_server_s_plain_404(string path)
    {
        var ns = await fixture.NewNamespaceAsync();
        using var http = new HttpClient { BaseAddress = fixture.Emulator.BaseAddress };

        using var response = await http.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, path, ns));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
        Assert.Equal("404 page not found\n", await response.Content.ReadAsStringAsync());
        var failure = await Widgets.FailsAsync(() => client.CustomObjects.ListNamespacedCustomObjectAsync(Widgets.Group, Widgets.Version, ns, "gadgets"));
        Assert.Equal(HttpStatusCode.NotFound, failure.Response.StatusCode);
    }

    private Task<V1ConfigMap> Create(string ns, string name, Dictionary<string, string> labels) =>
        client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = name, Labels = labels } }, ns);
}
