using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Kube.Emulator;
using SshTunnel.Chart.Tests.Infrastructure;
using SshTunnel.Chart.Tests.Templates;
using SshTunnel.Testing.Kubernetes;
using SshTunnel.Testing.OperatorHost;
using SshTunnel.Testing.Polling;

namespace SshTunnel.Chart.Tests.Install;

/// <summary>
/// The real operator, started with the flags the chart renders and authenticated as the chart's
/// ServiceAccount, does its work (keys, a rotation, an invalid token, a foreign Secret, a refused
/// login, events, the Lease, port forwards with their Deployments and Services, one of them
/// changed and one whose Deployment name is taken) against the emulator, which enforces the Roles, ClusterRoles and
/// bindings the chart renders (and the owner reference admission plugin): every request is
/// allowed, and without any one verb of the operator's roles something is refused (least
/// privilege, not just enough).
/// </summary>
[Trait(OperatorProcess.TraitName, OperatorProcess.TraitValue)]
public sealed class OperatorPermissionTests
{
    private const string Group = "sshtunnels.io";
    private const string Version = "v1alpha1";
    private const string Plural = "sshtunnelconnections";
    private const string PortForwardPlural = "sshportforwards";
    private const string RbacGroup = "rbac.authorization.k8s.io";
    private const string ServiceAccountUser = "system:serviceaccount:" + ChartValues.ReleaseNamespace + ":" + ChartValues.FullName;

    /// <summary>Two operator starts and a login refusal on a loaded machine fit in it.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>Operators running at once while each rule is taken away: the machine has two cores.</summary>
    private const int RemovalsAtOnce = 3;

    private static readonly string[] ClusterWide = ["default", "team-b"];
    private static readonly string[] Namespaced = ["team-a", "team-b"];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Every_request_the_operator_makes_as_the_charts_service_account_is_allowed(bool namespaced)
    {
        var chart = await RenderAsync(namespaced);
        await using var cluster = await StartClusterAsync(chart, namespaced ? Namespaced : ClusterWide);
        cluster.Control.RecordRequests = true;
        await using (var running = StartOperator(cluster, chart))
        {
            await RunScenarioAsync(cluster, namespaced ? Namespaced : ClusterWide, running);
        }

        var forbidden = cluster.Control.ForbiddenRequests.Select(Describe).Distinct().ToList();
        Assert.True(forbidden.Count == 0, "forbidden:\n" + string.Join('\n', forbidden));
        var exercised = cluster.Control.RecordedRequests
            .Where(request => request.User == ServiceAccountUser && request.Resource.Length > 0)
            .Select(request => request.Verb + " " + request.ResourcePath)
            .ToHashSet();
        string[] needed =
            [
            "list sshtunnelconnections", "watch sshtunnelconnections", "get sshtunnelconnections",
            "update sshtunnelconnections/status",
            "list secrets", "watch secrets", "get secrets", "create secrets", "update secrets", "patch secrets",
            "create events", "update events",
            "get leases", "create leases", "update leases",
            "list sshportforwards", "watch sshportforwards", "get sshportforwards", "update sshportforwards/status",
            "list deployments", "watch deployments", "get deployments", "create deployments", "update deployments",
            "list services", "watch services", "get services", "create services", "update services",
            ];
        Assert.Empty(needed.Except(exercised));
    }

    [Fact]
    public async Task Without_any_one_verb_of_the_operators_roles_a_request_is_refused()
    {
        var chart = await RenderAsync(namespaced: false);
        var removals = OperatorRoleVerbs(chart).ToList();
        Assert.NotEmpty(removals);
        using var slots = new SemaphoreSlim(RemovalsAtOnce);
        var outcomes = await Task.WhenAll(removals.Select(async removal =>
        {
            await slots.WaitAsync();
            try
            {
                return (removal.Describe, Refused: await FirstRefusalWithoutAsync(chart, removal));
            }
            finally
            {
                slots.Release();
            }
        }));

        var unnecessary = outcomes.Where(outcome => outcome.Refused is null).Select(outcome => outcome.Describe).ToList();
        Assert.True(unnecessary.Count == 0, "the operator did all its work without:\n" + string.Join('\n', unnecessary));
    }

    [Fact]
    public async Task Roles_of_a_chart_before_rotations_became_patches_still_get_every_rotation_done()
    {
        var chart = await RenderAsync(namespaced: false);
        var secretPatch = Assert.Single(OperatorRoleVerbs(chart), verb => verb.Verb == "patch" && verb.RuleText.Contains("\"secrets\"", StringComparison.Ordinal));
        await using var cluster = await StartClusterAsync(secretPatch.RemoveFrom(chart), ClusterWide);
        await using (var running = StartOperator(cluster, chart))
        {
            await RunScenarioAsync(cluster, ClusterWide, running);
            Assert.Contains("rotates keys by reading and replacing the Secret", running.Output, StringComparison.Ordinal);
        }

        // One refused patch, then the read and the replace the older roles grant.
        var refused = Assert.Single(cluster.Control.ForbiddenRequests);
        Assert.Equal(("patch", "secrets"), (refused.Verb, refused.Resource));
    }

    /// <summary>
    /// Runs the scenario with <paramref name="removal"/> taken out of the chart's roles and returns
    /// the first request the emulator refused (or the step that never completed), or null when
    /// the whole scenario completed without a refusal.
    /// </summary>
    private static async Task<string?> FirstRefusalWithoutAsync(RenderedChart chart, RuleVerb removal)
    {
        await using var cluster = await StartClusterAsync(removal.RemoveFrom(chart), ClusterWide);
        await using var running = StartOperator(cluster, chart);
        var scenario = RunScenarioAsync(cluster, ClusterWide, running);
        var refused = Eventually.Until(
            () => Task.FromResult(cluster.Control.ForbiddenRequests.FirstOrDefault()),
            request => request is not null || scenario.IsCompleted,
            "a refused request or the end of the scenario",
            Patience * 2);
        var first = await refused;
        if (first is not null)
        {
            return Describe(first);
        }

        try
        {
            await scenario;
            return null;
        }
        catch (TimeoutException stalled)
        {
            return "no refusal, but the work did not complete: " + stalled.Message.Split('\n')[0];
        }
    }

    private static async Task<RenderedChart> RenderAsync(bool namespaced) =>
        await HelmTemplate.RenderAsync(
            ChartValues.ReleaseNamespace,
            [.. namespaced ? ChartValues.Namespaced : [], "metrics.enabled=false"]);

    /// <summary>
    /// An emulator with the watched namespaces, the chart's ServiceAccount, Roles, ClusterRoles and
    /// bindings, and the scenario's connections. It runs the OwnerReferencesPermissionEnforcement
    /// admission plugin (as OpenShift does), which the finalizers rule is for.
    /// </summary>
    private static async Task<EmulatedCluster> StartClusterAsync(RenderedChart chart, string[] watched)
    {
        var cluster = await EmulatedCluster.StartAsync(
            namespaces: ["ops", .. watched.Where(name => name != "default")], ownerReferencesPermissionEnforcement: true);
        var client = cluster.Client;
        foreach (var item in chart.OfKind("ServiceAccount"))
        {
            await client.CoreV1.CreateNamespacedServiceAccountAsync(
                KubernetesJson.Deserialize<V1ServiceAccount>(item.ToJsonString()), RenderedChart.NamespaceOf(item));
        }

        foreach (var (kind, plural) in new[] { ("ClusterRole", "clusterroles"), ("ClusterRoleBinding", "clusterrolebindings") })
        {
            foreach (var item in chart.OfKind(kind))
            {
                await client.CustomObjects.CreateClusterCustomObjectAsync(item, RbacGroup, "v1", plural);
            }
        }

        foreach (var (kind, plural) in new[] { ("Role", "roles"), ("RoleBinding", "rolebindings") })
        {
            foreach (var item in chart.OfKind(kind))
            {
                await client.CustomObjects.CreateNamespacedCustomObjectAsync(item, RbacGroup, "v1", RenderedChart.NamespaceOf(item), plural);
            }
        }

        await client.CoreV1.CreateNamespacedSecretAsync(
            new V1Secret { Metadata = new V1ObjectMeta { Name = "foreign-ssh-keys" }, StringData = new Dictionary<string, string> { ["a"] = "b" } },
            watched[0]);
        await CreateAsync(client, watched[0], "plain", validate: false, "bastion.example.com", 22);
        await CreateAsync(client, watched[0], "foreign", validate: false, "bastion.example.com", 22);
        await CreateAsync(client, watched[0], "refused", validate: true, "127.0.0.1", 1);
        await CreateAsync(client, watched[1], "plain", validate: false, "bastion.example.com", 22);
        await client.AppsV1.CreateNamespacedDeploymentAsync(
            new V1Deployment
            {
                Metadata = new V1ObjectMeta { Name = "taken-forward" },
                Spec = new V1DeploymentSpec
                {
                    Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "theirs" } },
                    Template = new V1PodTemplateSpec
                    {
                        Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "theirs" } },
                        Spec = new V1PodSpec { Containers = [new V1Container { Name = "theirs", Image = "nginx" }] },
                    },
                },
            },
            watched[0]);
        await CreatePortForwardAsync(client, watched[0], "tunnel", 5432);
        await CreatePortForwardAsync(client, watched[0], "taken", 5432);
        await CreatePortForwardAsync(client, watched[1], "tunnel", 5432);
        return cluster;
    }

    /// <summary>The operator with the Deployment's arguments, authenticated by a token of the chart's ServiceAccount.</summary>
    private static OperatorProcess StartOperator(EmulatedCluster cluster, RenderedChart chart)
    {
        var arguments = chart.Single("Deployment")["spec"]!["template"]!["spec"]!["containers"]![0]!["args"]!.AsArray()
            .Select(argument => ((string)argument!).Replace("$(POD_NAMESPACE)", ChartValues.ReleaseNamespace, StringComparison.Ordinal))
            .Where(argument => !argument.StartsWith(OperatorProcess.HealthPortFlag + "=", StringComparison.Ordinal));
        var kubeconfig = cluster.Emulator.WriteKubeconfig(
            Path.Combine(cluster.Folder, "operator-kubeconfig"), ChartValues.ReleaseNamespace, ChartValues.FullName);
        return OperatorProcess.Start(kubeconfig, arguments);
    }

    /// <summary>
    /// Keys, a conflict, a refused login, a rotation (a patch of the Secret), a spec change (a
    /// replace of the Secret), an invalid token (twice, so its Event is
    /// counted up), port forwards (created, one changed, one in conflict) and a lease renewal, each awaited.
    /// </summary>
    private static async Task RunScenarioAsync(EmulatedCluster cluster, string[] watched, OperatorProcess running)
    {
        var client = cluster.Client;
        await WaitForReadyAsync(client, watched[0], "plain", "True", "Reconciled", running);
        await WaitForReadyAsync(client, watched[1], "plain", "True", "Reconciled", running);
        await WaitForReadyAsync(client, watched[0], "foreign", "False", "SecretConflict", running);
        await WaitForReadyAsync(client, watched[0], "refused", "False", "ValidationFailed", running);
        await AnnotateAsync(client, watched[0], "plain", "2000000000");
        await WaitUntilAsync(async () => (await GetAsync(client, watched[0], "plain")).GetProperty("status").GetProperty("rotation").GetProperty("count").GetInt32() == 1, running);
        await client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("{\"spec\":{\"port\":2222}}", V1Patch.PatchType.MergePatch), Group, Version, watched[1], Plural, "plain");
        await WaitUntilAsync(async () => (await GetAsync(client, watched[1], "plain")).GetProperty("status").GetProperty("connection").GetProperty("port").GetInt32() == 2222, running);
        await AnnotateAsync(client, watched[0], "plain", "soon");
        await WaitForReadyAsync(client, watched[0], "plain", "False", "InvalidRotationToken", running);
        await AnnotateAsync(client, watched[0], "plain", "2000000000");
        await WaitForReadyAsync(client, watched[0], "plain", "True", "Reconciled", running);
        await AnnotateAsync(client, watched[0], "plain", "soon");
        await WaitUntilAsync(
            async () => (await client.CoreV1.ListNamespacedEventAsync(watched[0])).Items.Any(item =>
                item is { Reason: "InvalidRotationToken", Count: 2, InvolvedObject.Name: "plain" }),
            running);
        await WaitForReadyAsync(client, watched[0], "tunnel", "False", "ForwardersNotReady", running, PortForwardPlural);
        await WaitForReadyAsync(client, watched[1], "tunnel", "False", "ForwardersNotReady", running, PortForwardPlural);
        await WaitForReadyAsync(client, watched[0], "taken", "False", "DeploymentConflict", running, PortForwardPlural);
        await client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("{\"spec\":{\"forwards\":[{\"name\":\"postgres\",\"port\":6432,\"targetHost\":\"db.internal\",\"targetPort\":5433}]}}", V1Patch.PatchType.MergePatch),
            Group,
            Version,
            watched[0],
            PortForwardPlural,
            "tunnel");
        await WaitUntilAsync(
            async () => (await client.CoreV1.ReadNamespacedServiceAsync("tunnel", watched[0])).Spec.Ports.Single().Port == 6432
                && (await client.AppsV1.ReadNamespacedDeploymentAsync("tunnel-forward", watched[0])).Spec.Template.Spec.Containers[0].Args.Contains("postgres=20001:db.internal:5433"),
            running);
        var renewals = cluster.Control.WriteCount("leases");
        await WaitUntilAsync(() => Task.FromResult(cluster.Control.WriteCount("leases") > renewals), running);
    }

    /// <summary>Each verb of each rule of the Roles and ClusterRoles bound to the operator's ServiceAccount.</summary>
    private static IEnumerable<RuleVerb> OperatorRoleVerbs(RenderedChart chart)
    {
        foreach (var binding in chart.OfKind("ClusterRoleBinding").Concat(chart.OfKind("RoleBinding")))
        {
            var boundToOperator = (binding["subjects"]?.AsArray() ?? []).Any(subject =>
                (string?)subject?["kind"] == "ServiceAccount" && (string?)subject["name"] == ChartValues.FullName);
            if (!boundToOperator)
            {
                continue;
            }

            var kind = (string)binding["roleRef"]!["kind"]!;
            var name = (string)binding["roleRef"]!["name"]!;
            var role = chart.OfKind(kind).Single(candidate => RenderedChart.NameOf(candidate) == name);
            var rules = role["rules"]!.AsArray();
            for (var index = 0; index < rules.Count; index++)
            {
                foreach (var verb in rules[index]!["verbs"]!.AsArray().Select(item => (string)item!))
                {
                    yield return new RuleVerb(kind, name, index, verb, rules[index]!.ToJsonString());
                }
            }
        }
    }

    private static string Describe(RequestInfo request) =>
        $"{request.Verb} {request.Group ?? "core"}/{request.ResourcePath} namespace={request.Namespace ?? "(all)"} name={request.Name ?? "-"} user={request.User}";

    private static Task CreateAsync(Kubernetes client, string ns, string name, bool validate, string host, int port) =>
        client.CustomObjects.CreateNamespacedCustomObjectAsync(
            new Dictionary<string, object>
            {
                ["apiVersion"] = Group + "/" + Version,
                ["kind"] = "SshTunnelConnection",
                ["metadata"] = new Dictionary<string, object> { ["name"] = name },
                ["spec"] = new Dictionary<string, object> { ["host"] = host, ["port"] = port, ["user"] = "materialize", ["validate"] = validate },
            },
            Group,
            Version,
            ns,
            Plural);

    private static Task CreatePortForwardAsync(Kubernetes client, string ns, string name, int port) =>
        client.CustomObjects.CreateNamespacedCustomObjectAsync(
            new Dictionary<string, object>
            {
                ["apiVersion"] = Group + "/" + Version,
                ["kind"] = "SshPortForward",
                ["metadata"] = new Dictionary<string, object> { ["name"] = name },
                ["spec"] = new Dictionary<string, object>
                {
                    ["connectionName"] = "plain",
                    ["forwards"] = new[] { new Dictionary<string, object> { ["name"] = "postgres", ["port"] = port, ["targetHost"] = "db.internal", ["targetPort"] = 5432 } },
                },
            },
            Group,
            Version,
            ns,
            PortForwardPlural);

    private static Task AnnotateAsync(Kubernetes client, string ns, string name, string token) =>
        client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(
                "{\"metadata\":{\"annotations\":{\"sshtunnels.io/rotate-keys\":\"" + token + "\"}}}",
                V1Patch.PatchType.MergePatch),
            Group,
            Version,
            ns,
            Plural,
            name);

    private static async Task<JsonElement> GetAsync(Kubernetes client, string ns, string name, string plural = Plural) =>
        await client.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>(Group, Version, ns, plural, name);

    private static Task WaitForReadyAsync(Kubernetes client, string ns, string name, string status, string reason, OperatorProcess running, string plural = Plural) =>
        WaitUntilAsync(
            async () =>
            {
                var connection = await GetAsync(client, ns, name, plural);
                if (!connection.TryGetProperty("status", out var current) || !current.TryGetProperty("conditions", out var conditions))
                {
                    return false;
                }

                return conditions.EnumerateArray().Any(condition =>
                    condition.GetProperty("type").GetString() == "Ready"
                    && condition.GetProperty("status").GetString() == status
                    && condition.GetProperty("reason").GetString() == reason);
            },
            running);

    private static Task WaitUntilAsync(Func<Task<bool>> condition, OperatorProcess running) =>
        Eventually.Until(condition, ok => ok, "the operator's work", Patience, _ => "false; the operator printed:\n" + running.Output);

    /// <summary>One verb of one rule of one of the operator's roles, and the chart without it.</summary>
    private sealed record RuleVerb(string Kind, string Role, int Rule, string Verb, string RuleText)
    {
        public string Describe => $"{Kind} {Role} rule {Rule} {RuleText}: verb {Verb}";

        public RenderedChart RemoveFrom(RenderedChart chart) =>
            new([.. chart.Objects.Select(item => IsTheRole(item) ? Without(item) : item)], chart.Hooks);

        private bool IsTheRole(JsonObject item) => (string?)item["kind"] == Kind && RenderedChart.NameOf(item) == Role;

        private JsonObject Without(JsonObject role)
        {
            var copy = role.DeepClone().AsObject();
            var rule = copy["rules"]![Rule]!;
            var verbs = rule["verbs"]!.AsArray();
            verbs.Remove(verbs.First(item => (string?)item == Verb));
            if (verbs.Count == 0)
            {
                copy["rules"]!.AsArray().RemoveAt(Rule);
            }

            return copy;
        }
    }
}
