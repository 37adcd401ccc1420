using System.Globalization;
using System.Text.Json.Nodes;
using SshTunnel.Chart.Tests.Infrastructure;
using SshTunnel.Testing.Repository;

namespace SshTunnel.Chart.Tests.Templates;

/// <summary>The operator's Deployment: hardened pod, flags from values, probes on the health port.</summary>
public sealed class DeploymentTests
{
    [Fact]
    public async Task The_pod_runs_as_non_root_with_a_read_only_root_and_no_privileges()
    {
        var chart = await HelmTemplate.RenderAsync(ChartValues.ReleaseNamespace);

        var pod = PodSpec(chart);
        var container = Container(chart);
        var security = container["securityContext"]!;

        Assert.True((bool?)pod["securityContext"]?["runAsNonRoot"]);
        Assert.True((long?)pod["securityContext"]?["runAsUser"] > 0);
        Assert.Equal("RuntimeDefault", (string?)pod["securityContext"]?["seccompProfile"]?["type"]);
        Assert.True((bool?)security["runAsNonRoot"]);
        Assert.True((bool?)security["readOnlyRootFilesystem"]);
        Assert.False((bool?)security["allowPrivilegeEscalation"]);
        Assert.Equal(["ALL"], security["capabilities"]!["drop"]!.AsArray().Select(item => (string?)item));
        Assert.Null(security["capabilities"]!["add"]);
        Assert.Equal("RuntimeDefault", (string?)security["seccompProfile"]?["type"]);
        Assert.Equal(ChartValues.FullName, (string?)pod["serviceAccountName"]);
    }

    [Fact]
    public async Task The_container_has_resource_requests_and_a_memory_limit()
    {
        var chart = await HelmTemplate.RenderAsync(ChartValues.ReleaseNamespace);

        var resources = Container(chart)["resources"]!;

        Assert.NotNull(resources["requests"]?["cpu"]);
        Assert.NotNull(resources["requests"]?["memory"]);
        Assert.NotNull(resources["limits"]?["memory"]);
    }

    [Fact]
    public async Task Default_memory_covers_the_benchmarks_steady_state_and_leaves_room_above_its_peak()
    {
        var chart = await HelmTemplate.RenderAsync(ChartValues.ReleaseNamespace);
        var resources = Container(chart)["resources"]!;

        var steady = BenchmarkMebibytes("Operator RSS at steady state (10,000 converged, restarted process)");
        var peak = BenchmarkMebibytes("Operator peak RSS (VmHWM) of the restarted process");

        Assert.True(Mebibytes((string)resources["requests"]!["memory"]!) >= steady, "the request is below the measured steady state " + steady + " MiB");
        Assert.True(Mebibytes((string)resources["limits"]!["memory"]!) >= 1.5 * peak, "the limit is not 1.5 times the measured peak " + peak + " MiB");
    }

    [Fact]
    public async Task Extra_environment_volumes_and_mounts_are_added_to_the_chart_own()
    {
        var chart = await HelmTemplate.RenderAsync(
            ChartValues.ReleaseNamespace,
            "extraEnv[0].name=HTTPS_PROXY",
            "extraEnv[0].value=http://proxy.internal:3128",
            "extraEnv[1].name=BASTION_CA",
            "extraEnv[1].valueFrom.secretKeyRef.name=bastion-ca",
            "extraEnv[1].valueFrom.secretKeyRef.key=ca.pub",
            "extraVolumes[0].name=bastion-ca",
            "extraVolumes[0].secret.secretName=bastion-ca",
            "extraVolumeMounts[0].name=bastion-ca",
            "extraVolumeMounts[0].mountPath=/etc/bastion-ca",
            "extraVolumeMounts[0].readOnly=true");

        var container = Container(chart);
        var volumes = PodSpec(chart)["volumes"]!.AsArray();
        var mounts = container["volumeMounts"]!.AsArray();

        Assert.Equal("http://proxy.internal:3128", (string?)Env(container, "HTTPS_PROXY")["value"]);
        Assert.Equal("ca.pub", (string?)Env(container, "BASTION_CA")["valueFrom"]?["secretKeyRef"]?["key"]);
        Assert.NotNull(Env(container, "POD_NAMESPACE")["valueFrom"]);
        Assert.Equal(["tmp", "bastion-ca"], volumes.Select(volume => (string?)volume!["name"]));
        Assert.Equal("bastion-ca", (string?)volumes[1]!["secret"]?["secretName"]);
        Assert.Equal(["/tmp", "/etc/bastion-ca"], mounts.Select(mount => (string?)mount!["mountPath"]));
        Assert.True((bool?)mounts[1]!["readOnly"]);
    }

    [Fact]
    public async Task Default_values_pass_the_operators_flags_with_leader_election_in_the_pods_namespace()
    {
        var chart = await HelmTemplate.RenderAsync(ChartValues.ReleaseNamespace);

        var deployment = chart.Single("Deployment", ChartValues.FullName);
        var container = Container(chart);

        Assert.Equal(ChartValues.ReleaseNamespace, RenderedChart.NamespaceOf(deployment));
        Assert.Equal(1, (long?)deployment["spec"]?["replicas"]);
        Assert.Equal(
            [
                "--health-probe-bind-address=:8081",
                "--metrics-bind-address=:8080",
                "--workers=8",
                "--probe-concurrency=8",
                "--resync-period=10m",
                "--revalidate-interval=10m",
                "--api-timeout=10s",
                "--forwarder-image=" + (string?)container["image"],
                "--leader-elect",
                "--leader-election-namespace=$(POD_NAMESPACE)",
                "--leader-election-lease-name=" + ChartValues.FullName,
            ],
            Arguments(container));
        Assert.Equal("metadata.namespace", (string?)Env(container, "POD_NAMESPACE")["valueFrom"]?["fieldRef"]?["fieldPath"]);
    }

    [Fact]
    public async Task Namespaced_values_pass_the_watched_namespaces_and_the_other_flags()
    {
        var chart = await HelmTemplate.RenderAsync(ChartValues.ReleaseNamespace, ChartValues.Namespaced);

        var deployment = chart.Single("Deployment", ChartValues.FullName);

        Assert.Equal(2, (long?)deployment["spec"]?["replicas"]);
        Assert.Equal(
            [
                "--health-probe-bind-address=:9090",
                "--workers=3",
                "--probe-concurrency=2",
                "--resync-period=5m",
                "--revalidate-interval=1h",
                "--api-timeout=5s",
                "--forwarder-image=" + (string?)Container(chart)["image"],
                "--namespaces=team-a,team-b",
                "--leader-elect",
                "--leader-election-namespace=$(POD_NAMESPACE)",
                "--leader-election-lease-name=" + ChartValues.FullName,
            ],
            Arguments(Container(chart)));
    }

    [Fact]
    public async Task The_lease_name_and_durations_are_passed_when_set()
    {
        var chart = await HelmTemplate.RenderAsync(
            ChartValues.ReleaseNamespace,
            "leaderElection.leaseName=team-a-operator",
            "leaderElection.leaseDuration=30s",
            "leaderElection.renewDeadline=20s",
            "leaderElection.retryPeriod=4s");

        var arguments = Arguments(Container(chart));

        Assert.Equal(
            [
                "--leader-elect",
                "--leader-election-namespace=$(POD_NAMESPACE)",
                "--leader-election-lease-name=team-a-operator",
                "--leader-election-lease-duration=30s",
                "--leader-election-renew-deadline=20s",
                "--leader-election-retry-period=4s",
            ],
            arguments.SkipWhile(argument => argument != "--leader-elect"));
        var leaseRole = chart.Single("Role", ChartValues.FullName + "-leader-election");
        Assert.Contains("team-a-operator", leaseRole.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Leader_election_can_be_turned_off_for_a_single_replica_and_extra_flags_are_appended()
    {
        var chart = await HelmTemplate.RenderAsync(ChartValues.ReleaseNamespace, "leaderElection.enabled=false", "operator.extraArgs={--verbose}");

        var arguments = Arguments(Container(chart));

        Assert.DoesNotContain("--leader-elect", arguments);
        Assert.DoesNotContain(arguments, argument => argument.StartsWith("--leader-election-namespace", StringComparison.Ordinal));
        Assert.Equal("--verbose", arguments[^1]);
    }

    [Theory]
    [InlineData(false, "health=8081 metrics=8080")]
    [InlineData(true, "health=9090")]
    public async Task Liveness_and_readiness_probe_healthz_and_readyz_on_the_health_port_and_metrics_have_their_own(bool namespaced, string ports)
    {
        var chart = await HelmTemplate.RenderAsync(ChartValues.ReleaseNamespace, namespaced ? ChartValues.Namespaced : []);

        var container = Container(chart);

        Assert.Equal(ports, string.Join(' ', container["ports"]!.AsArray().Select(port => $"{(string?)port!["name"]}={(long?)port["containerPort"]}")));
        Assert.Equal("/healthz", (string?)container["livenessProbe"]?["httpGet"]?["path"]);
        Assert.Equal("health", (string?)container["livenessProbe"]?["httpGet"]?["port"]);
        Assert.Equal("/readyz", (string?)container["readinessProbe"]?["httpGet"]?["path"]);
        Assert.Equal("health", (string?)container["readinessProbe"]?["httpGet"]?["port"]);
    }

    [Fact]
    public async Task The_image_defaults_to_the_app_version_and_a_digest_wins_over_the_tag()
    {
        const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        var byTag = await HelmTemplate.RenderAsync(ChartValues.ReleaseNamespace);
        var byDigest = await HelmTemplate.RenderAsync(ChartValues.ReleaseNamespace, "image.tag=ignored", "image.digest=" + Digest);

        Assert.EndsWith("/ssh-tunnel-operator:0.1.0", (string?)Container(byTag)["image"], StringComparison.Ordinal);
        Assert.EndsWith("/ssh-tunnel-operator@" + Digest, (string?)Container(byDigest)["image"], StringComparison.Ordinal);
    }

    /// <summary>A memory figure (MiB) from the repository README's performance table.</summary>
    private static double BenchmarkMebibytes(string figure)
    {
        var readme = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "README.md"));
        var row = Assert.Single(readme, line => line.StartsWith("| " + figure + " |", StringComparison.Ordinal));
        var measured = row.Split('|', StringSplitOptions.TrimEntries)[2];
        return double.Parse(measured[..measured.IndexOf(" MiB", StringComparison.Ordinal)], CultureInfo.InvariantCulture);
    }

    private static double Mebibytes(string quantity) => quantity switch
    {
        _ when quantity.EndsWith("Gi", StringComparison.Ordinal) => 1024 * double.Parse(quantity[..^2], CultureInfo.InvariantCulture),
        _ when quantity.EndsWith("Mi", StringComparison.Ordinal) => double.Parse(quantity[..^2], CultureInfo.InvariantCulture),
        _ => throw new NotSupportedException("memory quantity " + quantity),
    };

    private static JsonObject PodSpec(RenderedChart chart) =>
        chart.Single("Deployment", ChartValues.FullName)["spec"]!["template"]!["spec"]!.AsObject();

    private static JsonObject Container(RenderedChart chart) =>
        Assert.Single(PodSpec(chart)["containers"]!.AsArray())!.AsObject();

    private static List<string> Arguments(JsonObject container) =>
        [.. container["args"]!.AsArray().Select(argument => (string?)argument ?? string.Empty)];

    private static JsonObject Env(JsonObject container, string name) =>
        Assert.Single(container["env"]!.AsArray(), variable => (string?)variable!["name"] == name)!.AsObject();
}
