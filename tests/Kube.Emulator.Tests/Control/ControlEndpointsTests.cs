using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Kube.Emulator.Tests.Control;

/// <summary>The control surface over HTTP (<c>--control</c>), driven as an outside tool would: plain HTTP requests.</summary>
public sealed class ControlEndpointsTests : IAsyncLifetime
{
    private readonly EmulatorFixture fixture = new() { ControlOverHttp = true };
    private HttpClient http = null!;

    public async Task InitializeAsync()
    {
        await fixture.InitializeAsync();
        http = new HttpClient { BaseAddress = fixture.Emulator.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await fixture.DisposeAsync();
    }

    [Fact]
    public async Task Server_errors_fail_only_the_matching_requests_and_only_as_many_as_asked()
    {
        var ns = await fixture.NewNamespaceAsync();
        await ArmAsync(2, new JsonObject { ["verb"] = "create", ["resource"] = "secrets", ["namespace"] = ns }, new JsonObject { ["type"] = "ServerError", ["code"] = 503 });

        using var configMap = await CreateAsync(ns, "configmaps", "c");
        using var first = await CreateAsync(ns, "secrets", "s1");
        using var second = await CreateAsync(ns, "secrets", "s1");
        using var third = await CreateAsync(ns, "secrets", "s1");

        Assert.Equal(HttpStatusCode.Created, configMap.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        Assert.Equal("ServiceUnavailable", (await JsonAsync(first))["reason"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        Assert.Equal(HttpStatusCode.Created, third.StatusCode);
    }

    [Fact]
    public async Task Too_many_requests_timeout_and_conflict_answer_as_the_real_server()
    {
        var ns = await fixture.NewNamespaceAsync();
        await ArmAsync(1, new JsonObject { ["verb"] = "list", ["namespace"] = ns }, new JsonObject { ["type"] = "TooManyRequests", ["retryAfterSeconds"] = 4 });
        using var throttled = await http.GetAsync($"/api/v1/namespaces/{ns}/secrets");
        await ArmAsync(1, new JsonObject { ["verb"] = "list", ["namespace"] = ns }, new JsonObject { ["type"] = "Timeout", ["afterSeconds"] = 0 });
        using var timedOut = await http.GetAsync($"/api/v1/namespaces/{ns}/secrets");
        await ArmAsync(1, new JsonObject { ["verb"] = "create", ["namespace"] = ns, ["name"] = null }, new JsonObject { ["type"] = "Conflict" });
        using var conflict = await CreateAsync(ns, "secrets", "s");

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(4), throttled.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.GatewayTimeout, timedOut.StatusCode);
        Assert.Equal("Timeout", (await JsonAsync(timedOut))["reason"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
    }

    [Fact]
    public async Task A_hang_holds_the_request_until_the_faults_are_cleared_then_serves_it()
    {
        var ns = await fixture.NewNamespaceAsync();
        await ArmAsync(1, new JsonObject { ["verb"] = "create", ["resource"] = "secrets", ["namespace"] = ns }, new JsonObject { ["type"] = "Hang" });
        fixture.Emulator.Control.RecordRequests = true;

        var held = CreateAsync(ns, "secrets", "held");
        await SshTunnel.Testing.Polling.Eventually.Until(
            () => Task.FromResult(fixture.Emulator.Control.RecordedRequests),
            requests => requests.Any(request => request.Namespace == ns && request.Verb == "create"),
            "the held create to arrive");
        Assert.False(held.IsCompleted);
        using var cleared = await http.DeleteAsync("/emulator/v1/faults");
        using var answer = await held;

        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        Assert.Equal(HttpStatusCode.Created, answer.StatusCode);
    }

    /// <summary>The fault that matters for exactly-once: the write is stored, the client sees a failure.</summary>
    [Fact]
    public async Task Commit_then_fail_stores_the_update_with_a_new_resource_version_and_answers_500()
    {
        var ns = await fixture.NewNamespaceAsync();
        using var created = await CreateAsync(ns, "secrets", "kept");
        var before = await JsonAsync(created);
        await ArmAsync(1, new JsonObject { ["verb"] = "update", ["resource"] = "secrets", ["namespace"] = ns, ["name"] = "kept" }, new JsonObject { ["type"] = "CommitThenFail" });

        var changed = before.DeepClone().AsObject();
        changed["stringData"] = new JsonObject { ["key"] = "rotated" };
        using var lost = await http.PutAsJsonAsync($"/api/v1/namespaces/{ns}/secrets/kept", changed);
        var stored = await JsonAsync(await http.GetAsync($"/api/v1/namespaces/{ns}/secrets/kept"));

        Assert.Equal(HttpStatusCode.InternalServerError, lost.StatusCode);
        Assert.Equal("InternalError", (await JsonAsync(lost))["reason"]!.GetValue<string>());
        Assert.Equal(Convert.ToBase64String("rotated"u8), stored["data"]!["key"]!.GetValue<string>());
        Assert.True(long.Parse(stored["metadata"]!["resourceVersion"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)
            > long.Parse(before["metadata"]!["resourceVersion"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Commit_then_reset_drops_the_connection_after_the_create_is_stored()
    {
        var ns = await fixture.NewNamespaceAsync();
        await ArmAsync(1, new JsonObject { ["verb"] = "create", ["resource"] = "secrets", ["namespace"] = ns }, new JsonObject { ["type"] = "CommitThenFail", ["reset"] = true });

        await Assert.ThrowsAsync<HttpRequestException>(() => CreateAsync(ns, "secrets", "dropped"));
        using var stored = await http.GetAsync($"/api/v1/namespaces/{ns}/secrets/dropped");
        using var again = await CreateAsync(ns, "secrets", "dropped");

        Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task A_write_that_fails_on_its_own_keeps_its_answer_under_commit_then_fail()
    {
        var ns = await fixture.NewNamespaceAsync();
        using var created = await CreateAsync(ns, "secrets", "twice");
        await ArmAsync(1, new JsonObject { ["verb"] = "create", ["namespace"] = ns }, new JsonObject { ["type"] = "CommitThenFail" });

        using var duplicate = await CreateAsync(ns, "secrets", "twice");

        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal("AlreadyExists", (await JsonAsync(duplicate))["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Closing_watches_ends_open_streams()
    {
        var ns = await fixture.NewNamespaceAsync();
        using var watch = await http.GetAsync($"/api/v1/namespaces/{ns}/secrets?watch=true", HttpCompletionOption.ResponseHeadersRead);
        var stream = watch.Content.ReadAsStringAsync();

        using var closed = await http.PostAsync("/emulator/v1/watches/close", null);

        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        Assert.Equal(string.Empty, await stream.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task After_compaction_a_watch_from_an_older_resource_version_gets_410_expired()
    {
        var ns = await fixture.NewNamespaceAsync();
        using var created = await CreateAsync(ns, "configmaps", "old");
        var version = (await JsonAsync(created))["metadata"]!["resourceVersion"]!.GetValue<string>();
        using var later = await CreateAsync(ns, "configmaps", "new");

        using var compacted = await http.PostAsync("/emulator/v1/history/compact", null);
        var watched = await http.GetStringAsync($"/api/v1/namespaces/{ns}/configmaps?watch=true&resourceVersion={version}");
        var error = JsonNode.Parse(watched.Split('\n')[0])!;

        Assert.Equal(HttpStatusCode.OK, compacted.StatusCode);
        Assert.Equal("ERROR", error["type"]!.GetValue<string>());
        Assert.Equal(410, error["object"]!["code"]!.GetValue<int>());
        Assert.Equal("Expired", error["object"]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Write_counts_and_the_request_log_are_read_and_reset_over_http()
    {
        var ns = await fixture.NewNamespaceAsync();
        using var recording = await http.PutAsJsonAsync("/emulator/v1/requests/recording", new JsonObject { ["enabled"] = true });
        using var created = await CreateAsync(ns, "secrets", "counted");
        await http.GetAsync($"/api/v1/namespaces/{ns}/secrets/counted");

        var writes = await JsonAsync(await http.GetAsync("/emulator/v1/writes"));
        var requests = await JsonAsync(await http.GetAsync("/emulator/v1/requests"));
        using var reset = await http.PostAsync("/emulator/v1/counters/reset", null);
        var afterReset = await JsonAsync(await http.GetAsync("/emulator/v1/writes"));

        Assert.Equal(HttpStatusCode.OK, recording.StatusCode);
        Assert.True(writes["secrets"]!.GetValue<long>() >= 1);
        Assert.True(requests["recording"]!.GetValue<bool>());
        Assert.Contains(requests["items"]!.AsArray(), item => item!["verb"]!.GetValue<string>() == "get" && item["name"]?.GetValue<string>() == "counted" && item["namespace"]?.GetValue<string>() == ns);
        Assert.DoesNotContain(requests["items"]!.AsArray(), item => item!["path"]!.GetValue<string>().StartsWith("/emulator/", StringComparison.Ordinal));
        Assert.Empty(afterReset);
    }

    [Fact]
    public async Task A_token_issued_over_http_authenticates_as_the_service_account()
    {
        var ns = await fixture.NewNamespaceAsync();
        using var account = await http.PostAsJsonAsync($"/api/v1/namespaces/{ns}/serviceaccounts", new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ServiceAccount", ["metadata"] = new JsonObject { ["name"] = "tool" } });
        var token = (await JsonAsync(await http.PostAsJsonAsync("/emulator/v1/tokens", new JsonObject { ["namespace"] = ns, ["serviceAccount"] = "tool" })))["token"]!.GetValue<string>();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/namespaces/{ns}/secrets");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);

        using var refused = await http.SendAsync(request);
        var forbidden = await JsonAsync(await http.GetAsync("/emulator/v1/requests/forbidden"));

        Assert.Equal(HttpStatusCode.Created, account.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains(forbidden["items"]!.AsArray(), item => item!["user"]!.GetValue<string>() == $"system:serviceaccount:{ns}:tool" && item["resource"]!.GetValue<string>() == "secrets");
    }

    [Fact]
    public async Task Bad_requests_say_what_to_fix()
    {
        using var unknownType = await http.PostAsJsonAsync("/emulator/v1/faults", new JsonObject { ["count"] = 1, ["fault"] = new JsonObject { ["type"] = "Meteor" } });
        using var unknownField = await http.PostAsJsonAsync("/emulator/v1/faults", new JsonObject { ["count"] = 1, ["match"] = new JsonObject { ["kind"] = "Secret" }, ["fault"] = new JsonObject { ["type"] = "Conflict" } });
        using var unknownPath = await http.GetAsync("/emulator/v1/nothing");

        Assert.Equal(HttpStatusCode.BadRequest, unknownType.StatusCode);
        Assert.Contains("is not one of ServerError, TooManyRequests, Timeout, Hang, Conflict, CommitThenFail", (await JsonAsync(unknownType))["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("match.kind: unknown field", (await JsonAsync(unknownField))["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknownPath.StatusCode);
    }

    private async Task ArmAsync(int count, JsonObject match, JsonObject fault)
    {
        using var armed = await http.PostAsJsonAsync("/emulator/v1/faults", new JsonObject { ["count"] = count, ["match"] = match, ["fault"] = fault });
        Assert.Equal(HttpStatusCode.Created, armed.StatusCode);
    }

    private Task<HttpResponseMessage> CreateAsync(string ns, string resource, string name) =>
        http.PostAsJsonAsync($"/api/v1/namespaces/{ns}/{resource}", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = resource == "secrets" ? "Secret" : "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = name },
        });

    private static async Task<JsonObject> JsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
}
