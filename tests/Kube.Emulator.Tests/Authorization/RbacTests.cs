using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using SshTunnel.Testing.Kubernetes;
using k8s;

namespace Kube.Emulator.Tests.Authorization;

/// <summary>
/// RBAC enforced for requests that authenticate as a ServiceAccount (a token the emulator issued, or kubectl's
/// impersonation headers), with the real authorizer's rules and its Forbidden message; the kubeconfig's admin passes.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class RbacTests(EmulatorFixture fixture)
{
    private readonly HttpClient admin = new() { BaseAddress = fixture.Emulator.BaseAddress };

    [Fact]
    public async Task A_service_account_without_roles_may_discover_but_not_read_and_hears_why()
    {
        var (ns, http) = await ServiceAccountAsync();

        using var discovery = await http.GetAsync("/apis");
        using var version = await http.GetAsync("/version");
        using var list = await http.GetAsync($"/api/v1/namespaces/{ns}/secrets");
        using var path = await http.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, discovery.StatusCode);
        Assert.Equal(HttpStatusCode.OK, version.StatusCode);
        await AssertForbiddenAsync(list, $"secrets is forbidden: User \"system:serviceaccount:{ns}:app\" cannot list resource \"secrets\" in API group \"\" in the namespace \"{ns}\"");
        await AssertForbiddenAsync(path, $"forbidden: User \"system:serviceaccount:{ns}:app\" cannot get path \"/metrics\"");
        Assert.Contains(fixture.Emulator.Control.ForbiddenRequests, request => request is { Verb: "list", Resource: "secrets" } && request.Namespace == ns && request.User == $"system:serviceaccount:{ns}:app");
        Assert.DoesNotContain(fixture.Emulator.Control.ForbiddenRequests, request => request.Path == "/apis" && request.User == $"system:serviceaccount:{ns}:app");
    }

    [Fact]
    public async Task A_role_binding_grants_its_verbs_in_its_namespace_only()
    {
        var (ns, http) = await ServiceAccountAsync();
        var other = await fixture.NewNamespaceAsync();
        await CreateAsync($"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/roles", Role("reader", Rule([""], ["secrets"], ["get", "list", "watch"])));
        await CreateAsync($"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings", RoleBinding("reader", "Role", "reader", ns));

        using var list = await http.GetAsync($"/api/v1/namespaces/{ns}/secrets");
        using var elsewhere = await http.GetAsync($"/api/v1/namespaces/{other}/secrets");
        using var everywhere = await http.GetAsync("/api/v1/secrets");
        using var create = await http.PostAsJsonAsync($"/api/v1/namespaces/{ns}/secrets", Secret("new"));

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        await AssertForbiddenAsync(elsewhere, $"secrets is forbidden: User \"system:serviceaccount:{ns}:app\" cannot list resource \"secrets\" in API group \"\" in the namespace \"{other}\"");
        await AssertForbiddenAsync(everywhere, $"secrets is forbidden: User \"system:serviceaccount:{ns}:app\" cannot list resource \"secrets\" in API group \"\" at the cluster scope");
        await AssertForbiddenAsync(create, $"secrets is forbidden: User \"system:serviceaccount:{ns}:app\" cannot create resource \"secrets\" in API group \"\" in the namespace \"{ns}\"");
    }

    [Fact]
    public async Task Resource_names_limit_a_rule_to_the_named_objects()
    {
        var (ns, http) = await ServiceAccountAsync();
        await CreateAsync($"/api/v1/namespaces/{ns}/secrets", Secret("allowed"));
        await CreateAsync($"/api/v1/namespaces/{ns}/secrets", Secret("other"));
        var rule = Rule([""], ["secrets"], ["get", "list"]);
        rule["resourceNames"] = new JsonArray("allowed");
        await CreateAsync($"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/roles", Role("one-secret", rule));
        await CreateAsync($"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings", RoleBinding("one-secret", "Role", "one-secret", ns));

        using var allowed = await http.GetAsync($"/api/v1/namespaces/{ns}/secrets/allowed");
        using var denied = await http.GetAsync($"/api/v1/namespaces/{ns}/secrets/other");
        using var list = await http.GetAsync($"/api/v1/namespaces/{ns}/secrets");

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        await AssertForbiddenAsync(denied, $"secrets \"other\" is forbidden: User \"system:serviceaccount:{ns}:app\" cannot get resource \"secrets\" in API group \"\" in the namespace \"{ns}\"");
        Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
    }

    [Fact]
    public async Task A_subresource_is_its_own_resource_and_a_cluster_role_bound_in_a_namespace_grants_there()
    {
        var (ns, http) = await ServiceAccountAsync();
        var widget = await Widgets.CreateAsync(fixture.Client, ns, Widgets.New("w"));
        var role = fixture.UniqueName("status-writer");
        await CreateAsync("/apis/rbac.authorization.k8s.io/v1/clusterroles", ClusterRole(role, Rule(["example.com"], ["widgets/status"], ["update"]), Rule(["example.com"], ["widgets"], ["get"])));
        await CreateAsync($"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings", RoleBinding("status-writer", "ClusterRole", role, ns));
        widget["status"] = new JsonObject { ["conditions"] = new JsonArray() };

        using var status = await http.PutAsJsonAsync($"/apis/example.com/v1/namespaces/{ns}/widgets/w/status", widget);
        using var main = await http.PutAsJsonAsync($"/apis/example.com/v1/namespaces/{ns}/widgets/w", widget);

        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        await AssertForbiddenAsync(main, $"widgets.example.com \"w\" is forbidden: User \"system:serviceaccount:{ns}:app\" cannot update resource \"widgets\" in API group \"example.com\" in the namespace \"{ns}\"");
    }

    /// <summary>A namespace's own path names it as the request's namespace, as the real request info does.</summary>
    [Fact]
    public async Task An_aggregated_cluster_role_takes_the_rules_of_the_roles_its_selector_matches()
    {
        var (ns, http) = await ServiceAccountAsync();
        var label = fixture.UniqueName("aggregate");
        var aggregated = fixture.UniqueName("aggregated");
        var part = ClusterRole(fixture.UniqueName("part"), Rule([""], ["namespaces"], ["get"]));
        part["metadata"]!["labels"] = new JsonObject { ["example.com/" + label] = "true" };
        var whole = ClusterRole(aggregated);
        whole["aggregationRule"] = new JsonObject { ["clusterRoleSelectors"] = new JsonArray(new JsonObject { ["matchLabels"] = new JsonObject { ["example.com/" + label] = "true" } }) };
        await CreateAsync("/apis/rbac.authorization.k8s.io/v1/clusterroles", whole);
        await CreateAsync("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", ClusterRoleBinding(aggregated, aggregated, ns));

        using var before = await http.GetAsync($"/api/v1/namespaces/{ns}");
        await CreateAsync("/apis/rbac.authorization.k8s.io/v1/clusterroles", part);
        using var after = await http.GetAsync($"/api/v1/namespaces/{ns}");

        await AssertForbiddenAsync(before, $"namespaces \"{ns}\" is forbidden: User \"system:serviceaccount:{ns}:app\" cannot get resource \"namespaces\" in API group \"\" in the namespace \"{ns}\"");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task Kubectl_as_a_service_account_is_refused_with_the_real_message()
    {
        var (ns, _) = await ServiceAccountAsync();
        var cli = new Kubectl(fixture.KubeconfigPath, fixture.WorkDirectory);

        var refused = (await cli.TryRunAsync("--as", $"system:serviceaccount:{ns}:app", "get", "secrets", "-n", ns)).Failed();
        await CreateAsync($"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/roles", Role("reader", Rule([""], ["secrets"], ["list"])));
        await CreateAsync($"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings", RoleBinding("reader", "Role", "reader", ns));
        var allowed = (await cli.TryRunAsync("--as", $"system:serviceaccount:{ns}:app", "get", "secrets", "-n", ns)).Succeeded();

        Assert.Contains($"Error from server (Forbidden): secrets is forbidden: User \"system:serviceaccount:{ns}:app\" cannot list resource \"secrets\" in API group \"\" in the namespace \"{ns}\"", refused.Error, StringComparison.Ordinal);
        Assert.Contains("No resources found", allowed.Error + allowed.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kubectl_create_token_issues_a_token_that_authenticates_as_the_service_account()
    {
        var (ns, _) = await ServiceAccountAsync();
        var cli = new Kubectl(fixture.KubeconfigPath, fixture.WorkDirectory);

        var token = (await cli.TryRunAsync("create", "token", "app", "-n", ns)).Succeeded().Output.Trim();
        var tooShort = (await cli.TryRunAsync("create", "token", "app", "-n", ns, "--duration", "1m")).Failed();
        var missing = (await cli.TryRunAsync("create", "token", "nobody", "-n", ns)).Failed();

        // kubectl sends no bearer token over plain HTTP, so the token is used as other clients would.
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var refused = await admin.SendAsync(request);

        await AssertForbiddenAsync(refused, $"configmaps is forbidden: User \"system:serviceaccount:{ns}:app\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"{ns}\"");
        Assert.Contains("may not specify a duration less than 10 minutes", tooShort.Error, StringComparison.Ordinal);
        Assert.Contains("serviceaccounts \"nobody\" not found", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_kubeconfig_for_a_service_account_makes_kubernetes_client_subject_to_rbac()
    {
        var (ns, _) = await ServiceAccountAsync();
        var path = fixture.Emulator.WriteKubeconfig(Path.Combine(fixture.WorkDirectory, ns + "-app.kubeconfig"), ns, "app");
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(path));

        var failure = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => client.CoreV1.ListNamespacedSecretAsync(ns));

        Assert.Equal(HttpStatusCode.Forbidden, failure.Response.StatusCode);
    }

    [Fact]
    public async Task Kubectl_auth_can_i_answers_from_the_roles_for_the_impersonated_service_account()
    {
        var (ns, _) = await ServiceAccountAsync();
        await CreateAsync($"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/roles", Role("status", Rule(["example.com"], ["widgets/status"], ["patch"])));
        await CreateAsync($"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings", RoleBinding("status", "Role", "status", ns));
        var cli = new Kubectl(fixture.KubeconfigPath, fixture.WorkDirectory);
        var user = $"system:serviceaccount:{ns}:app";

        var statusPatch = await cli.TryRunAsync("auth", "can-i", "patch", "widgets.example.com", "--subresource=status", "-n", ns, "--as", user);
        var mainPatch = await cli.TryRunAsync("auth", "can-i", "patch", "widgets.example.com", "-n", ns, "--as", user);
        var admin = await cli.TryRunAsync("auth", "can-i", "delete", "secrets", "--all-namespaces");

        Assert.Equal("yes", statusPatch.Succeeded().Output.Trim());
        Assert.Equal("no", mainPatch.Output.Trim());
        Assert.NotEqual(0, mainPatch.ExitCode);
        Assert.Equal("yes", admin.Succeeded().Output.Trim());
    }

    [Fact]
    public async Task A_subject_access_review_answers_for_the_user_and_groups_it_names()
    {
        var ns = await fixture.NewNamespaceAsync();
        await CreateAsync($"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/roles", Role("leases", Rule(["coordination.k8s.io"], ["leases"], ["get", "update"])));
        var binding = RoleBinding("leases", "Role", "leases", ns);
        binding["subjects"] = new JsonArray(new JsonObject { ["kind"] = "Group", ["name"] = "operators", ["apiGroup"] = "rbac.authorization.k8s.io" });
        await CreateAsync($"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings", binding);
        JsonObject Review(string[] groups) => new()
        {
            ["apiVersion"] = "authorization.k8s.io/v1",
            ["kind"] = "SubjectAccessReview",
            ["spec"] = new JsonObject
            {
                ["user"] = "jane",
                ["groups"] = Strings(groups),
                ["resourceAttributes"] = new JsonObject { ["namespace"] = ns, ["verb"] = "update", ["group"] = "coordination.k8s.io", ["resource"] = "leases", ["name"] = "leader" },
            },
        };

        using var member = await admin.PostAsJsonAsync("/apis/authorization.k8s.io/v1/subjectaccessreviews", Review(["operators"]));
        using var outsider = await admin.PostAsJsonAsync("/apis/authorization.k8s.io/v1/subjectaccessreviews", Review(["others"]));

        Assert.Equal(HttpStatusCode.Created, member.StatusCode);
        Assert.True((await JsonAsync(member))["status"]!["allowed"]!.GetValue<bool>());
        Assert.False((await JsonAsync(outsider))["status"]!["allowed"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Impersonating_needs_the_impersonate_verb_on_the_service_account()
    {
        var (ns, http) = await ServiceAccountAsync();
        using var first = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/namespaces/{ns}/secrets");
        first.Headers.Add("Impersonate-User", $"system:serviceaccount:{ns}:other");
        using var refused = await http.SendAsync(first);
        var rule = Rule([""], ["serviceaccounts"], ["impersonate"]);
        rule["resourceNames"] = new JsonArray("other");
        await CreateAsync($"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/roles", Role("impersonator", rule));
        await CreateAsync($"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings", RoleBinding("impersonator", "Role", "impersonator", ns));
        using var second = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/namespaces/{ns}/secrets");
        second.Headers.Add("Impersonate-User", $"system:serviceaccount:{ns}:other");
        using var impersonated = await http.SendAsync(second);

        await AssertForbiddenAsync(refused, $"serviceaccounts \"other\" is forbidden: User \"system:serviceaccount:{ns}:app\" cannot impersonate resource \"serviceaccounts\" in API group \"\" in the namespace \"{ns}\"");
        await AssertForbiddenAsync(impersonated, $"secrets is forbidden: User \"system:serviceaccount:{ns}:other\" cannot list resource \"secrets\" in API group \"\" in the namespace \"{ns}\"");
    }

    [Fact]
    public async Task A_token_stops_working_when_its_service_account_is_deleted()
    {
        var (ns, http) = await ServiceAccountAsync();
        using var deleted = await admin.DeleteAsync($"/api/v1/namespaces/{ns}/serviceaccounts/app");

        using var refused = await http.GetAsync("/apis");

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("Unauthorized", (await JsonAsync(refused))["reason"]!.GetValue<string>());
    }

    private async Task<(string Namespace, HttpClient Client)> ServiceAccountAsync()
    {
        var ns = await fixture.NewNamespaceAsync();
        await CreateAsync($"/api/v1/namespaces/{ns}/serviceaccounts", new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ServiceAccount", ["metadata"] = new JsonObject { ["name"] = "app" } });
        var http = new HttpClient { BaseAddress = fixture.Emulator.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Emulator.Control.IssueToken(ns, "app"));
        return (ns, http);
    }

    private async Task CreateAsync(string path, JsonObject body)
    {
        using var created = await admin.PostAsJsonAsync(path, body);
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
    }

    private static async Task AssertForbiddenAsync(HttpResponseMessage response, string message)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var status = await JsonAsync(response);
        Assert.Equal("Forbidden", status["reason"]!.GetValue<string>());
        Assert.Equal(message, status["message"]!.GetValue<string>());
    }

    private static async Task<JsonObject> JsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    private static JsonObject Secret(string name) => new() { ["apiVersion"] = "v1", ["kind"] = "Secret", ["metadata"] = new JsonObject { ["name"] = name } };

    private static JsonObject Rule(string[] groups, string[] resources, string[] verbs) => new()
    {
        ["apiGroups"] = Strings(groups),
        ["resources"] = Strings(resources),
        ["verbs"] = Strings(verbs),
    };

    private static JsonObject Role(string name, params JsonObject[] rules) => new()
    {
        ["apiVersion"] = "rbac.authorization.k8s.io/v1",
        ["kind"] = "Role",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["rules"] = new JsonArray([.. rules]),
    };

    private static JsonObject ClusterRole(string name, params JsonObject[] rules)
    {
        var role = Role(name, rules);
        role["kind"] = "ClusterRole";
        return role;
    }

    private static JsonObject RoleBinding(string name, string roleKind, string roleName, string ns) => new()
    {
        ["apiVersion"] = "rbac.authorization.k8s.io/v1",
        ["kind"] = "RoleBinding",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = roleKind, ["name"] = roleName },
        ["subjects"] = new JsonArray(new JsonObject { ["kind"] = "ServiceAccount", ["name"] = "app", ["namespace"] = ns }),
    };

    private static JsonObject ClusterRoleBinding(string name, string roleName, string ns)
    {
        var binding = RoleBinding(name, "ClusterRole", roleName, ns);
        binding["kind"] = "ClusterRoleBinding";
        return binding;
    }

    private static JsonArray Strings(string[] values) => new([.. values.Select(value => (JsonNode?)value)]);
}
