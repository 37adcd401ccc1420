using System.Text.Json;
using k8s;
using k8s.Models;
using Kube.Emulator;
using SshTunnel.Chart.Tests.Infrastructure;
using SshTunnel.Chart.Tests.Templates;
using SshTunnel.Testing.Kubernetes;
using SshTunnel.Testing.Network;
using SshTunnel.Testing.OperatorHost;
using SshTunnel.Testing.Polling;

namespace SshTunnel.Chart.Tests.Install;

/// <summary>
/// The real operator, started with the flags the chart renders, does its work (keys, a
/// rotation, an invalid token, a foreign Secret, a refused login, the Lease) against the
/// emulator, and every request it makes is allowed by the RBAC the chart renders for it.
/// </summary>
public sealed class OperatorPermissionTests
{
    private const string Group = "sshtunnels.io";
    private const string Version = "v1alpha1";
    private const string Plural = "sshtunnelconnections";

    /// <summary>Two operator starts and a login refusal on a loaded machine fit in it.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Every_request_the_operator_makes_is_allowed_by_the_charts_rbac(bool namespaced)
    {
        string[] watched = namespaced ? ["team-a", "team-b"] : ["default", "team-b"];
        await using var cluster = await EmulatedCluster.StartAsync(namespaces: ["ops", .. watched.Where(name => name != "default")]);
        var client = cluster.Client;
        var port = FreePort.Find();
        var chart = await HelmTemplate.RenderAsync(
            ChartValues.ReleaseNamespace,
            [.. namespaced ? ChartValues.Namespaced : [], "healthPort=" + port, "metrics.enabled=false"]);
        var arguments = chart.Single("Deployment")["spec"]!["template"]!["spec"]!["containers"]![0]!["args"]!.AsArray()
            .Select(argument => ((string)argument!).Replace("$(POD_NAMESPACE)", ChartValues.ReleaseNamespace, StringComparison.Ordinal));
        await client.CoreV1.CreateNamespacedSecretAsync(
            new V1Secret { Metadata = new V1ObjectMeta { Name = "foreign-ssh-keys" }, StringData = new Dictionary<string, string> { ["a"] = "b" } },
            watched[0]);
        await CreateAsync(client, watched[0], "plain", validate: false, "bastion.example.com", 22);
        await CreateAsync(client, watched[0], "foreign", validate: false, "bastion.example.com", 22);
        await CreateAsync(client, watched[0], "refused", validate: true, "127.0.0.1", 1);
        await CreateAsync(client, watched[1], "plain", validate: false, "bastion.example.com", 22);

        cluster.Control.RecordRequests = true;
        await using (var running = OperatorProcess.Start(cluster.KubeconfigPath, arguments))
        {
            await WaitForReadyAsync(client, watched[0], "plain", "True", "Reconciled", running);
            await WaitForReadyAsync(client, watched[1], "plain", "True", "Reconciled", running);
            await WaitForReadyAsync(client, watched[0], "foreign", "False", "SecretConflict", running);
            await WaitForReadyAsync(client, watched[0], "refused", "False", "ValidationFailed", running);
            await AnnotateAsync(client, watched[0], "plain", "2000000000");
            await WaitUntilAsync(async () => (await GetAsync(client, watched[0], "plain")).GetProperty("status").GetProperty("rotation").GetProperty("count").GetInt32() == 1, running);
            await AnnotateAsync(client, watched[0], "plain", "soon");
            await WaitForReadyAsync(client, watched[0], "plain", "False", "InvalidRotationToken", running);
            await WaitUntilAsync(() => Task.FromResult(cluster.Control.RecordedRequests.Any(request => request is { Resource: "leases", Verb: "update" })), running);
        }

        cluster.Control.RecordRequests = false;

        var authorizer = new RbacAuthorizer(chart, ChartValues.FullName, ChartValues.ReleaseNamespace);
        var operatorRequests = cluster.Control.RecordedRequests.Where(IsOperatorRequest).ToList();
        var denied = operatorRequests.Where(request => !authorizer.Allows(request)).Select(Describe).Distinct().ToList();
        var exercised = operatorRequests.Select(request => request.Verb + " " + request.ResourcePath).ToHashSet();

        Assert.True(denied.Count == 0, "denied:\n" + string.Join('\n', denied));
        Assert.Superset(
            new HashSet<string>
            {
                "list sshtunnelconnections", "watch sshtunnelconnections", "get sshtunnelconnections",
                "update sshtunnelconnections/status",
                "list secrets", "watch secrets", "get secrets", "create secrets", "update secrets",
                "create events",
                "get leases", "create leases", "update leases",
            },
            exercised);
    }

    /// <summary>
    /// Leaves out the test's own writes (annotating a connection: the operator never writes a
    /// connection's main resource) and discovery, which every authenticated user may read.
    /// </summary>
    private static bool IsOperatorRequest(RequestInfo request) =>
        request.Resource.Length > 0
        && !(request is { Resource: Plural, Subresource: null, Verb: "patch" });

    private static string Describe(RequestInfo request) =>
        $"{request.Verb} {request.Group ?? "core"}/{request.ResourcePath} namespace={request.Namespace ?? "(all)"} name={request.Name ?? "-"}";

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

    private static async Task<JsonElement> GetAsync(Kubernetes client, string ns, string name) =>
        await client.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>(Group, Version, ns, Plural, name);

    private static Task WaitForReadyAsync(Kubernetes client, string ns, string name, string status, string reason, OperatorProcess running) =>
        WaitUntilAsync(
            async () =>
            {
                var connection = await GetAsync(client, ns, name);
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
}
