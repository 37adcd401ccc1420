using System.Globalization;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using SshTunnel.Core.Model;
using SshTunnel.Core.Secrets;
using SshTunnel.Operator.Hosting;
using SshTunnel.Operator.Keys;
using SshTunnel.Operator.PortForwards;
using SshTunnel.Operator.Probing;
using SshTunnel.Api;
using SshTunnel.Testing.Kubernetes;
using SshTunnel.Testing.Polling;

namespace SshTunnel.Operator.Tests.Testing;

/// <summary>
/// An emulator with the repository's CRDs and the operator running against it in-process over
/// HTTP, plus the reads and writes a user would make with kubectl.
/// </summary>
public sealed class OperatorHarness : IAsyncDisposable
{
    public const string Namespace = "default";

    /// <summary>
    /// How often the emulator sends watch bookmarks: a cache that sees no event learns from them
    /// that it has reached a resourceVersion, so the idle signal answers within this time.
    /// </summary>
    public static readonly TimeSpan IdleBookmarkInterval = TimeSpan.FromMilliseconds(100);
    private CancellationTokenSource? stop;
    private Task running = Task.CompletedTask;

    private OperatorHarness(EmulatedCluster cluster) => Cluster = cluster;

    public EmulatedCluster Cluster { get; }

    public IKubernetes Client => Cluster.Client;

    public ConnectionOperator? Operator { get; private set; }

    /// <param name="options">The operator's options; two workers when null.</param>
    /// <param name="probeOptions">The probe's options; a short single attempt when null.</param>
    /// <param name="clock">The operator's clock (its decisions and requeue timers); the system clock when null.</param>
    public static async Task<OperatorHarness> StartAsync(OperatorOptions? options = null, BastionProbeOptions? probeOptions = null, TimeProvider? clock = null) =>
        await StartAsync(await EmulatedCluster.StartAsync(bookmarkInterval: IdleBookmarkInterval), options, probeOptions, clock);

    /// <summary>The user's reads and writes on a cluster where the operator runs elsewhere (as processes); the harness then owns it.</summary>
    public static OperatorHarness WithoutOperator(EmulatedCluster cluster) => new(cluster);

    /// <summary>Runs the operator against a cluster the caller prepared; the harness then owns it.</summary>
    public static async Task<OperatorHarness> StartAsync(EmulatedCluster cluster, OperatorOptions? options = null, BastionProbeOptions? probeOptions = null, TimeProvider? clock = null)
    {
        var harness = new OperatorHarness(cluster);
        await harness.StartOperatorAsync(options, probeOptions, clock);
        return harness;
    }

    /// <param name="options">The operator's options; two workers when null.</param>
    /// <param name="probeOptions">The probe's options; a short single attempt when null.</param>
    /// <param name="clock">The operator's clock; the system clock when null.</param>
    /// <param name="localForwarders">Forwarders run in-process, as dev mode runs them; none when null.</param>
    public async Task StartOperatorAsync(
        OperatorOptions? options = null, BastionProbeOptions? probeOptions = null, TimeProvider? clock = null, ILocalForwarders? localForwarders = null)
    {
        clock ??= TimeProvider.System;
        options ??= new OperatorOptions { Workers = 2 };
        stop = new CancellationTokenSource();
        var probe = new SshBastionProbe(
            probeOptions ?? new BastionProbeOptions { ConnectTimeout = TimeSpan.FromSeconds(5), MaxAttempts = 1, MaxTotal = TimeSpan.FromSeconds(10) },
            clock,
            NullLogger<SshBastionProbe>.Instance);
        Operator = new ConnectionOperator(Cluster.ControllerClient, options, probe, new Ed25519KeyPairSource(), clock, NullLoggerFactory.Instance, localForwarders: localForwarders);
        running = Operator.RunAsync(stop.Token);
        await Operator.Ready.WaitAsync(Eventually.DefaultTimeout);
    }

    /// <summary>
    /// Waits until the operator says it is idle: its caches hold every change up to
    /// <paramref name="resourceVersion"/> (what the test's last write returned) and its own
    /// writes, and nothing is queued, due, reconciling, probing or unpublished. Tests wait for it
    /// before they assert that nothing (more) happened.
    /// </summary>
    public Task WaitForIdleAsync(string? resourceVersion)
    {
        var target = resourceVersion is null ? (long?)null : long.Parse(resourceVersion, CultureInfo.InvariantCulture);
        return Eventually.Until(
            () => Task.FromResult(Operator!.Idle.Check(target)),
            report => report.IsIdle,
            $"the operator to be idle at resourceVersion {resourceVersion ?? "of its own writes"}",
            describe: report => "busy: " + report.Pending);
    }

    public async Task StopOperatorAsync()
    {
        if (stop is null)
        {
            return;
        }

        await stop.CancelAsync();
        await running.WaitAsync(Eventually.DefaultTimeout);
        stop.Dispose();
        stop = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopOperatorAsync();
        await Cluster.DisposeAsync();
    }

    public Task<SshTunnelConnection> CreateAsync(string name, ConnectionSpec spec, string? rotateKeys = null) =>
        Client.CustomObjects.CreateNamespacedCustomObjectAsync<SshTunnelConnection>(
            new SshTunnelConnection
            {
                Metadata = new V1ObjectMeta
                {
                    Name = name,
                    NamespaceProperty = Namespace,
                    Annotations = rotateKeys is null ? null : new Dictionary<string, string> { [ResourceNames.RotateKeysAnnotation] = rotateKeys },
                },
                Spec = spec,
            },
            ResourceNames.Group,
            ResourceNames.Version,
            Namespace,
            ResourceNames.Plural);

    public static ConnectionSpec Spec(string host = "bastion.example.com", int? port = null, bool validate = false) =>
        new() { Host = host, Port = port ?? ConnectionSpec.DefaultPort, User = "materialize", Validate = validate };

    public Task<SshTunnelConnection> GetAsync(string name) =>
        Client.CustomObjects.GetNamespacedCustomObjectAsync<SshTunnelConnection>(
            ResourceNames.Group, ResourceNames.Version, Namespace, ResourceNames.Plural, name);

    public Task<V1Secret?> GetSecretAsync(string name) =>
        ApiReads.OrNullAsync(() => Client.CoreV1.ReadNamespacedSecretAsync(KeySecretLayout.SecretName(name), Namespace));

    /// <summary>Sets the rotate-keys annotation; returns the connection as written, with its resourceVersion.</summary>
    public Task<SshTunnelConnection> AnnotateAsync(string name, string rotateKeys) => SetAnnotationAsync(name, ResourceNames.RotateKeysAnnotation, rotateKeys);

    /// <summary>Sets the revalidate annotation; returns the connection as written, with its resourceVersion.</summary>
    public Task<SshTunnelConnection> AnnotateRevalidateAsync(string name, string value) => SetAnnotationAsync(name, ResourceNames.RevalidateAnnotation, value);

    /// <summary>Sets <paramref name="annotation"/> with a merge patch; returns the connection as written.</summary>
    public Task<SshTunnelConnection> SetAnnotationAsync(string name, string annotation, string value) =>
        Client.CustomObjects.PatchNamespacedCustomObjectAsync<SshTunnelConnection>(
            new V1Patch(
                new { metadata = new { annotations = new Dictionary<string, string> { [annotation] = value } } },
                V1Patch.PatchType.MergePatch),
            ResourceNames.Group,
            ResourceNames.Version,
            Namespace,
            ResourceNames.Plural,
            name);

    /// <summary>Replaces the spec the way <c>kubectl apply</c> of a whole manifest does.</summary>
    public async Task ReplaceSpecAsync(string name, Action<System.Text.Json.Nodes.JsonObject> edit)
    {
        var current = await Client.CustomObjects.GetNamespacedCustomObjectAsync<System.Text.Json.Nodes.JsonObject>(
            ResourceNames.Group, ResourceNames.Version, Namespace, ResourceNames.Plural, name);
        edit(current["spec"]!.AsObject());
        await Client.CustomObjects.ReplaceNamespacedCustomObjectAsync(
            current, ResourceNames.Group, ResourceNames.Version, Namespace, ResourceNames.Plural, name);
    }

    /// <summary>Polls the resource until its status satisfies <paramref name="done"/>.</summary>
    public Task<SshTunnelConnection> WaitAsync(string name, Func<SshTunnelConnection, bool> done, string what) =>
        Eventually.Until(() => GetAsync(name), done, what);

    public async Task<IReadOnlyList<Corev1Event>> EventsAsync(string name)
    {
        var events = await Client.CoreV1.ListNamespacedEventAsync(Namespace);
        return [.. events.Items.Where(item => item.InvolvedObject?.Name == name)];
    }

    public Task<IReadOnlyList<Corev1Event>> WaitForEventAsync(string name, string reason) =>
        Eventually.Until(() => EventsAsync(name), events => events.Any(item => item.Reason == reason), $"event {reason} on {name}");

    public static Condition? ConditionOf(SshTunnelConnection connection, string type) =>
        connection.Status?.Conditions.FirstOrDefault(condition => condition.Type == type);

    public static bool HasKeys(SshTunnelConnection connection) =>
        connection.Status?.PublicKey1 is not null && connection.Status.PublicKey2 is not null;

    public static bool IsReady(SshTunnelConnection connection) =>
        ConditionOf(connection, "Ready") is { Status: "True" } ready && ready.ObservedGeneration == connection.Metadata.Generation;
}
