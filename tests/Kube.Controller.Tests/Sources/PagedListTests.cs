using System.Net;
using k8s.Autorest;
using k8s.Models;
using Kube.Controller.Sources;

namespace Kube.Controller.Tests.Sources;

/// <summary>The pager: each page handed over as it arrives, and a list whose continue token expired started over.</summary>
public sealed class PagedListTests
{
    private readonly List<string?> asked = [];
    private readonly List<string> seen = [];

    [Fact]
    public async Task Pages_are_handed_over_one_by_one_and_the_first_page_names_the_snapshot()
    {
        var version = await ReadAsync(
            Page("7", "after-b", "a", "b"),
            Page("9", null, "c"));

        Assert.Equal("7", version);
        Assert.Equal([null, "after-b"], asked);
        Assert.Equal(["first: a,b", "next: c"], seen);
    }

    [Fact]
    public async Task The_next_page_is_asked_for_before_the_current_one_is_handed_over()
    {
        var askedWhenHandedOver = new List<int>();

        await PagedList.ReadAsync<string>(
            (continueToken, _) =>
            {
                asked.Add(continueToken);
                return Task.FromResult<(IList<string>, V1ListMeta)>(continueToken switch
                {
                    null => (["a"], new V1ListMeta { ResourceVersion = "7", ContinueProperty = "after-a" }),
                    "after-a" => (["b"], new V1ListMeta { ResourceVersion = "7", ContinueProperty = "after-b" }),
                    _ => (["c"], new V1ListMeta { ResourceVersion = "7" }),
                });
            },
            _ => askedWhenHandedOver.Add(asked.Count),
            CancellationToken.None);

        Assert.Equal([2, 3, 3], askedWhenHandedOver);
    }

    [Fact]
    public async Task A_failure_while_handing_over_a_page_stops_the_list()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => PagedList.ReadAsync<string>(
            (continueToken, _) =>
            {
                asked.Add(continueToken);
                return Task.FromResult<(IList<string>, V1ListMeta)>((["a"], new V1ListMeta { ResourceVersion = "7", ContinueProperty = "more" }));
            },
            _ => throw new InvalidOperationException("conversion failed"),
            CancellationToken.None));

        Assert.Equal("conversion failed", failure.Message);
        Assert.Equal([null, "more"], asked);
    }

    [Fact]
    public async Task An_expired_continue_token_starts_the_list_over_from_a_new_first_page()
    {
        var version = await ReadAsync(
            Page("7", "after-b", "a", "b"),
            () => throw new HttpOperationException { Response = new HttpResponseMessageWrapper(new HttpResponseMessage(HttpStatusCode.Gone), "") },
            Page("12", "after-b", "a", "b2"),
            Page("15", null, "d"));

        Assert.Equal("12", version);
        Assert.Equal([null, "after-b", null, "after-b"], asked);
        Assert.Equal(["first: a,b", "first: a,b2", "next: d"], seen);
    }

    [Fact]
    public async Task A_failing_first_page_is_the_caller_s_to_retry()
    {
        var failure = await Assert.ThrowsAsync<HttpOperationException>(() => ReadAsync(
            () => throw new HttpOperationException { Response = new HttpResponseMessageWrapper(new HttpResponseMessage(HttpStatusCode.Gone), "") }));

        Assert.Equal(HttpStatusCode.Gone, failure.Response.StatusCode);
        Assert.Empty(seen);
    }

    private static Func<(IList<string>, V1ListMeta)> Page(string version, string? continueToken, params string[] items) =>
        () => (items, new V1ListMeta { ResourceVersion = version, ContinueProperty = continueToken });

    private Task<string> ReadAsync(params Func<(IList<string>, V1ListMeta)>[] pages)
    {
        var next = new Queue<Func<(IList<string>, V1ListMeta)>>(pages);
        return PagedList.ReadAsync<string>(
            (continueToken, _) =>
            {
                asked.Add(continueToken);
                return Task.FromResult(next.Dequeue()());
            },
            page => seen.Add($"{(page.First ? "first" : "next")}: {string.Join(',', page.Items)}"),
            CancellationToken.None);
    }
}
