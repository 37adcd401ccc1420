using k8s;
using k8s.Exceptions;
using Kube.Controller.Sources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;
using SshTunnel.Core.Keys;
using SshTunnel.Operator.CommandLine;
using SshTunnel.Operator.Keys;
using SshTunnel.Operator.Observability;
using SshTunnel.Operator.PortForwards;
using SshTunnel.Operator.Probing;
using SshTunnel.Operator.Serialization;

namespace SshTunnel.Operator.Hosting;

/// <summary>
/// The operator process: reads the flags, finds the cluster (the one given, else in-cluster,
/// else the kubeconfig), and runs until SIGTERM or Ctrl-C. The production entry point and the
/// dev host both start here.
/// </summary>
public static class OperatorHost
{
    /// <summary>
    /// Reads the flags and runs the operator; <c>--help</c> prints the flags and returns 0,
    /// bad flags or no cluster return 2.
    /// </summary>
    /// <param name="args">The command-line flags, see <see cref="OperatorCommandLine"/>.</param>
    /// <param name="startupClock">Started when the process started, for the readiness log line.</param>
    public static Task<int> RunAsync(IReadOnlyList<string> args, StartupClock startupClock) =>
        new OperatorCommandLine("ssh-tunnel-operator: manages SshTunnelConnection resources (sshtunnels.io/v1alpha1). Uses the in-cluster service account, else $KUBECONFIG or ~/.kube/config.")
            .RunAsync(args, Console.Out, Console.Error, (_, options) => RunAsync(options, cluster: null, startupClock));

    /// <summary>Runs the operator with parsed options; returns the process exit code (2 when there is no cluster).</summary>
    /// <param name="options">The flags.</param>
    /// <param name="cluster">The cluster to use; null to find one as a deployed operator does.</param>
    /// <param name="startupClock">Started when the process started, for the readiness log line.</param>
    /// <param name="localForwarders">Dev mode's in-process forwarders; null in a cluster.</param>
    public static async Task<int> RunAsync(
        OperatorOptions options, KubernetesClientConfiguration? cluster, StartupClock startupClock, ILocalForwarders? localForwarders = null)
    {
        // First, before any API call freezes KubernetesClient's serializer options.
        OperatorJson.Install();
        KubernetesClientConfiguration clientConfiguration;
        try
        {
            clientConfiguration = cluster
                ?? (KubernetesClientConfiguration.IsInCluster()
                    ? KubernetesClientConfiguration.InClusterConfig()
                    : KubeconfigLoader.Load(KubeconfigLoader.DefaultPath()));
        }
        catch (KubeConfigException e)
        {
            await Console.Error.WriteLineAsync(
                $"No cluster to connect to: {e.Message}. Set KUBECONFIG, run in a pod, or run dev mode (dotnet run --project operator/SshTunnel.Dev).").ConfigureAwait(false);
            return 2;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        AddConsoleLogging(builder.Logging, options);
        // The host waits for the drain (--shutdown-timeout) and then the lease release (bounded by the renew deadline).
        builder.Services.Configure<HostOptions>(host =>
            host.ShutdownTimeout = options.ShutdownTimeout + options.LeaderElectionRenewDeadline + TimeSpan.FromSeconds(5));
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(startupClock);
        builder.Services.AddSingleton(TimeProvider.System);
        var metrics = ProcessMetrics();
        builder.Services.AddSingleton(new ControllerClient(clientConfiguration, new RestClientMetricsHandler(metrics)));
        builder.Services.AddSingleton<IKeyPairSource, Ed25519KeyPairSource>();
        builder.Services.AddSingleton(new BastionProbeOptions());
        builder.Services.AddSingleton<IBastionProbe, SshBastionProbe>();
        builder.Services.AddSingleton<Readiness>();
        builder.Services.AddSingleton<RunningOperator>();
        builder.Services.AddSingleton(metrics);
        foreach (var address in new[] { options.HealthProbeBindAddress, options.MetricsBindAddress }.OfType<BindAddress>().Distinct())
        {
            // Not AddHostedService: it keeps one registration per type, and there may be two servers.
            builder.Services.AddSingleton<IHostedService>(services => new HealthServer(
                address,
                probes: address == options.HealthProbeBindAddress,
                scrape: address == options.MetricsBindAddress,
                services.GetRequiredService<Readiness>(),
                services.GetRequiredService<OperatorMetrics>(),
                services.GetRequiredService<RunningOperator>(),
                services.GetRequiredService<ILoggerFactory>()));
        }

        if (localForwarders is not null)
        {
            builder.Services.AddSingleton(localForwarders);
        }

        builder.Services.AddHostedService<OperatorService>();

        using var host = builder.Build();
        await host.RunAsync().ConfigureAwait(false);
        return 0;
    }

    /// <summary>JSON lines or one text line per entry, UTC timestamps, scopes (the reconcile's object and id) included.</summary>
    private static void AddConsoleLogging(ILoggingBuilder logging, OperatorOptions options)
    {
        const string Timestamp = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";
        if (options.LogFormat == LogFormat.Json)
        {
            logging.AddJsonConsole(console =>
            {
                console.UseUtcTimestamp = true;
                console.TimestampFormat = Timestamp.TrimEnd();
                console.IncludeScopes = true;
            });
        }
        else
        {
            logging.AddSimpleConsole(console =>
            {
                console.UseUtcTimestamp = true;
                console.TimestampFormat = Timestamp;
                console.IncludeScopes = true;
                console.SingleLine = true;
            });
        }

        logging.SetMinimumLevel(options.LogLevel);
    }

    /// <summary>
    /// The operator's families in prometheus-net's default registry, which adds the standard
    /// process and .NET families (<c>process_*</c>, <c>dotnet_*</c>). Its export of the runtime's
    /// System.Diagnostics.Metrics meters and event counters is turned off: those carry labels
    /// whose values grow with the bastions (<c>system_net_nameresolution_dns_lookup_duration</c>
    /// has one series set per host name looked up) and are not the operator's to promise.
    /// </summary>
    private static OperatorMetrics ProcessMetrics()
    {
        Metrics.SuppressDefaultMetrics(new SuppressDefaultMetricOptions { SuppressMeters = true, SuppressEventCounters = true, SuppressDebugMetrics = true });
        return new OperatorMetrics(Metrics.DefaultRegistry);
    }
}
