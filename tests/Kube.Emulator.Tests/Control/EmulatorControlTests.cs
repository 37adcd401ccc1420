using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Kube.Emulator.Tests.Control;

[Collection(EmulatorCollection.Name)]
public sealed class EmulatorControlTests(EmulatorFixture fixture)
{
    private readonly Kubernetes client = fixture.Client;

    [Fact]
    public async Task Server_error_fault_fails_only_the_matching_requests_it_was_armed_for()
    {
        var ns = await fixture.NewNamespaceAsync();
        fixture.Emulator.Control.FailNext(1, request => request.Namespace == ns && request.Verb == "create", new EmulatorFault.ServerError(503));

        var failure = await Widgets.FailsAsync(() => client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "a" } }, ns));
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "a" } }, ns);

        Widgets.AssertStatus(failure, HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", "the server is currently unable to handle the request");
    }

    [Fact]
    public async Task Too_many_requests_fault_sends_retry_after()
    {
        var ns = await fixture.NewNamespaceAsync();
        fixture.Emulator.Control.FailNext(1, request => request.Namespace == ns, new EmulatorFault.TooManyRequests(TimeSpan.FromSeconds(3)));
        using var http = new HttpClient { BaseAddress = fixture.Emulator.BaseAddress };

        var response = await http.GetAsync($"/api/v1/namespaces/{ns}/secrets");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3), response.Headers.RetryAfter?.Delta);
        Assert.True(response.Headers.Contains("Audit-Id"));
        Assert.True(response.Headers.Contains("X-Kubernetes-Pf-Flowschema-Uid"));
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Conflict_fault_answers_with_the_real_conflict_message()
    {
        var ns = await fixture.NewNamespaceAsync();
        var created = await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "c" } }, ns);
        fixture.Emulator.Control.FailNext(1, request => request.Namespace == ns && request.Verb == "update", new EmulatorFault.Conflict());

        var failure = await Widgets.FailsAsync(() => client.CoreV1.ReplaceNamespacedSecretAsync(created, "c", ns));

        Widgets.AssertStatus(failure, HttpStatusCode.Conflict, "Conflict", "Operation cannot be fulfilled on secrets \"c\": the object has been modified; please apply your changes to the latest version and try again");
    }

    [Fact]
    public async Task Timeout_fault_with_a_delay_answers_504()
    {
        var ns = await fixture.NewNamespaceAsync();
        fixture.Emulator.Control.FailNext(1, request => request.Namespace == ns, new EmulatorFault.Timeout(TimeSpan.FromMilliseconds(50)));

        var failure = await Widgets.FailsAsync(() => client.CoreV1.ListNamespacedSecretAsync(ns));

        Assert.Equal(HttpStatusCode.GatewayTimeout, failure.Response.StatusCode);
        Assert.Equal("Timeout", Widgets.Status(failure)["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Hanging_timeout_fault_holds_the_request_until_the_client_gives_up()
    {
        var ns = await fixture.NewNamespaceAsync();
        fixture.Emulator.Control.FailNext(1, request => request.Namespace == ns, new EmulatorFault.Timeout());
        using var http = new HttpClient { BaseAddress = fixture.Emulator.BaseAddress, Timeout = TimeSpan.FromMilliseconds(300) };

        await Assert.ThrowsAsync<TaskCanceledException>(() => http.GetAsync($"/api/v1/namespaces/{ns}/secrets"));
        var after = await http.GetAsync($"/api/v1/namespaces/{ns}/secrets");

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task Write_counts_and_recorded_requests_describe_the_traffic()
    {
        var ns = await fixture.NewNamespaceAsync();
        var control = fixture.Emulator.Control;
        var before = control.WriteCount("widgets/status");
        control.RecordRequests = true;
        var widget = await Widgets.CreateAsync(client, ns, Widgets.New("counted"));
        widget["status"] = new System.Text.Json.Nodes.JsonObject { ["conditions"] = new System.Text.Json.Nodes.JsonArray() };
        await Widgets.ReplaceStatusAsync(client, ns, widget);
        control.RecordRequests = false;

        Assert.Equal(before + 1, control.WriteCount("widgets/status"));
        Assert.True(control.WriteCounts["widgets"] >= 1);
        var recorded = control.RecordedRequests.Where(request => request.Namespace == ns).ToList();
        Assert.Contains(recorded, request => request is { Verb: "create", Group: "example.com", Version: "v1", Resource: "widgets", Subresource: null });
        Assert.Contains(recorded, request => request is { Verb: "update", Resource: "widgets", Subresource: "status", Name: "counted", Method: "PUT" });
    }

    [Fact]
    public async Task Faults_do_not_fire_for_requests_that_do_not_match()
    {
        var ns = await fixture.NewNamespaceAsync();
        fixture.Emulator.Control.FailNext(1, request => request.Resource == "no-such-resource", new EmulatorFault.ServerError());

        var list = await client.CoreV1.ListNamespacedSecretAsync(ns);

        Assert.Empty(list.Items);
        await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReadNamespacedSecretAsync("missing", ns));
    }
    [Fact]
    public async Task Commit_then_fail_stores_the_write_and_answers_500()
    {
        var ns = await fixture.NewNamespaceAsync();
        fixture.Emulator.Control.FailNext(1, request => request.Namespace == ns && request.Resource == "secrets", new EmulatorFault.CommitThenFail());

        var failure = await Widgets.FailsAsync(() => client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "stored" } }, ns));
        var stored = await client.CoreV1.ReadNamespacedSecretAsync("stored", ns);

        Assert.Equal(HttpStatusCode.InternalServerError, failure.Response.StatusCode);
        Assert.NotNull(stored.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Clearing_the_faults_disarms_them_and_serves_a_held_request()
    {
        var ns = await fixture.NewNamespaceAsync();
        var control = fixture.Emulator.Control;
        control.FailNext(1, request => request.Namespace == ns && request.Verb == "list", new EmulatorFault.Timeout());
        control.FailNext(5, request => request.Namespace == ns && request.Verb == "create", new EmulatorFault.ServerError());
        control.RecordRequests = true;

        var held = client.CoreV1.ListNamespacedSecretAsync(ns);
        await SshTunnel.Testing.Polling.Eventually.Until(
            () => Task.FromResult(control.RecordedRequests),
            requests => requests.Any(request => request.Namespace == ns && request.Verb == "list"),
            "the held list to arrive");
        control.ClearFaults();
        var list = await held;
        var created = await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "after" } }, ns);

        Assert.Empty(list.Items);
        Assert.Equal("after", created.Metadata.Name);
    }

    [Fact]
    public async Task Control_endpoints_are_not_served_unless_turned_on()
    {
        using var http = new HttpClient { BaseAddress = fixture.Emulator.BaseAddress };

        using var response = await http.PostAsync("/emulator/v1/watches/close", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
