using System.Text.Json;
using k8s;
using k8s.Models;
using Kube.Controller.Sources;
using Kube.Controller.Tests.Support;

namespace Kube.Controller.Tests.Sources;

/// <summary>
/// The watch reader on the bytes an API server sends: each object decoded once, none for a
/// bookmark or a version the watcher holds, lines across reads and larger than the buffer,
/// and errors reported without ending the watch.
/// </summary>
public sealed class WatchEventReaderTests
{
    private readonly List<Exception> errors = [];
    private readonly List<(ObjectKey Key, string Version)> asked = [];

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(65536)]
    public async Task Every_event_is_read_whatever_the_reads_split(int chunk)
    {
        var events = await ReadAsync(
            chunk,
            Line("ADDED", Secret("a", "5")),
            Line("MODIFIED", Secret("a", "6")),
            Line("DELETED", Secret("a", "7")));

        Assert.Equal([WatchEventType.Added, WatchEventType.Modified, WatchEventType.Deleted], events.Select(e => e.Type));
        Assert.Equal(["5", "6", "7"], events.Select(e => e.ResourceVersion));
        Assert.All(events, e => Assert.Equal("a", e.Object?.Metadata.Name));
        Assert.Equal("value", System.Text.Encoding.UTF8.GetString(events[0].Object!.Data["key"]));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_version_the_watcher_holds_and_a_bookmark_come_without_their_object()
    {
        var events = await ReadAsync(
            1024,
            held: (key, version) => key == new ObjectKey("ns", "a") && version == "5",
            Line("ADDED", Secret("a", "5")),
            Line("MODIFIED", Secret("b", "6")),
            """{"type":"BOOKMARK","object":{"kind":"Secret","apiVersion":"v1","metadata":{"resourceVersion":"8"}}}""",
            Line("DELETED", Secret("a", "9")));

        Assert.Equal([(WatchEventType.Added, "5", (string?)null), (WatchEventType.Modified, "6", "b"), (WatchEventType.Bookmark, "8", null), (WatchEventType.Deleted, "9", "a")],
            events.Select(e => (e.Type, e.ResourceVersion, e.Object?.Metadata.Name)));
        Assert.Equal([(new ObjectKey("ns", "a"), "5"), (new ObjectKey("ns", "b"), "6")], asked);
    }

    [Fact]
    public async Task A_line_larger_than_the_buffer_is_read_whole()
    {
        var large = new string('x', 100_000);
        var events = await ReadAsync(
            4096,
            Line("ADDED", Secret("big", "5", large)),
            Line("ADDED", Secret("small", "6")));

        Assert.Equal(["big", "small"], events.Select(e => e.Object!.Metadata.Name));
        Assert.Equal(large, System.Text.Encoding.UTF8.GetString(events[0].Object!.Data["key"]));
    }

    [Fact]
    public async Task An_error_event_is_reported_as_the_servers_status_and_the_watch_reads_on()
    {
        var events = await ReadAsync(
            64,
            """{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 5 (9)","reason":"Expired","code":410}}""",
            Line("ADDED", Secret("a", "10")));

        var error = Assert.IsType<KubernetesException>(Assert.Single(errors));
        Assert.Equal(410, error.Status.Code);
        Assert.Equal("Expired", error.Status.Reason);
        Assert.Equal("10", Assert.Single(events).ResourceVersion);
    }

    [Fact]
    public async Task A_line_that_is_not_an_event_is_reported_and_the_watch_reads_on()
    {
        var events = await ReadAsync(
            64,
            """{"type":"ADDED","object":{"kind":"Secret","metadata":{"name":""",
            """{"type":"SOMETHING","object":{}}""",
            """{"object":{}}""",
            Line("ADDED", Secret("a", "10")));

        Assert.Equal(3, errors.Count);
        Assert.All(errors, e => Assert.IsAssignableFrom<JsonException>(e));
        Assert.Equal("a", Assert.Single(events).Object!.Metadata.Name);
    }

    [Fact]
    public async Task Blank_lines_carriage_returns_and_a_last_line_without_newline_are_read_as_a_server_may_send_them()
    {
        var text = "\n" + Line("ADDED", Secret("a", "5")) + "\r\n\r\n" + Line("ADDED", Secret("b", "6"));
        var events = await ReadTextAsync(text, 3, held: null);

        Assert.Equal(["a", "b"], events.Select(e => e.Object!.Metadata.Name));
        Assert.Empty(errors);
    }

    [Fact]
    public void The_head_is_read_whatever_the_order_of_fields_and_whatever_comes_before_the_name()
    {
        var line = """{"object":{"metadata":{"managedFields":[{"manager":"x","fieldsV1":{"f:data":{}}}],"labels":{"name":"not-this"},"resourceVersion":"12","namespace":"ns","name":"a"},"kind":"Secret","data":{"name":"bm90LXRoaXM="}},"type":"MODIFIED"}"""u8;

        var head = WatchEventHead.Read(line);

        Assert.Equal((WatchEventType.Modified, "Secret", "ns", "a", "12"), (head.Type, head.Kind, head.Namespace, head.Name, head.ResourceVersion));
        Assert.Equal((byte)'{', line[head.Object][0]);
        Assert.Equal((byte)'}', line[head.Object][^1]);
    }

    [Fact]
    public async Task Objects_come_without_their_managed_fields_and_with_everything_else()
    {
        var secret = Secret("a", "5");
        secret.Metadata.ManagedFields = [new V1ManagedFieldsEntry { Manager = "kubectl", Operation = "Apply", FieldsType = "FieldsV1", FieldsV1 = new { } }];
        secret.Metadata.Labels = new Dictionary<string, string> { ["app"] = "x" };

        var events = await ReadAsync(16, Line("ADDED", secret), Line("ADDED", Secret("b", "6")));

        Assert.Null(events[0].Object!.Metadata.ManagedFields);
        Assert.Equal("x", events[0].Object!.Metadata.Labels["app"]);
        Assert.Equal("value", System.Text.Encoding.UTF8.GetString(events[0].Object!.Data["key"]));
        Assert.Equal("b", events[1].Object!.Metadata.Name);
    }

    private Task<List<WatchedEvent<V1Secret>>> ReadAsync(int chunk, params string[] lines) => ReadAsync(chunk, null, lines);

    private Task<List<WatchedEvent<V1Secret>>> ReadAsync(int chunk, Func<ObjectKey, string, bool>? held, params string[] lines) =>
        ReadTextAsync(string.Join('\n', lines) + "\n", chunk, held);

    /// <summary>Reads <paramref name="text"/> as a watch body arriving <paramref name="chunk"/> bytes at a time, recording what the reader asks about.</summary>
    private async Task<List<WatchedEvent<V1Secret>>> ReadTextAsync(string text, int chunk, Func<ObjectKey, string, bool>? held)
    {
        var events = new List<WatchedEvent<V1Secret>>();
        await foreach (var watched in WatchEventReader<V1Secret>.ReadAsync(
            new ChunkedStream(text, chunk),
            (key, version) =>
            {
                asked.Add((key, version));
                return held?.Invoke(key, version) ?? false;
            },
            errors.Add,
            CancellationToken.None))
        {
            events.Add(watched);
        }

        return events;
    }

    private static string Line(string type, V1Secret secret) =>
        $$"""{"type":"{{type}}","object":{{KubernetesJson.Serialize(secret)}}}""";

    private static V1Secret Secret(string name, string resourceVersion, string value = "value") => new()
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "ns", ResourceVersion = resourceVersion },
        Data = new Dictionary<string, byte[]> { ["key"] = System.Text.Encoding.UTF8.GetBytes(value) },
    };
}
