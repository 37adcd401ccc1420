using k8s;
using k8s.Exceptions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;
using SshTunnel.Core.Keys;
using SshTunnel.Operator.Keys;
using SshTunnel.Operator.Observability;
using SshTunnel.Operator.Probing;

namespace SshTunnel.Operator.Hosting;

/// <summary>
/// The operator process: reads the flags, finds the cluster (the one given, else in-cluster,
/// else the kubeconfig), and runs until SIGTERM or Ctrl-C. The production entry point and the
/// dev host both start here.
/// </summary>
public static class OperatorHost
{
    /// <summary>Runs the operator; returns the process exit code (2 for bad flags or no cluster).</summary>
    /// <param name="args">The command-line flags, see <see cref="OperatorOptions"/>.</param>
    /// <param name="cluster">The cluster to use; null to find one as a deployed operator does.</param>
    /// <param name="startupClock">Started when the process started, for the readiness log line.</param>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, KubernetesClientConfiguration? cluster, StartupClock startupClock)
    {
        OperatorOptions options;
        try
        {
            options = OperatorOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return 2;
        }

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
        builder.Logging.AddJsonConsole(console =>
        {
            console.UseUtcTimestamp = true;
            console.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
        });
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        // The host waits for the drain (--shutdown-timeout) and then the lease release (bounded by the renew deadline).
        builder.Services.Configure<HostOptions>(host =>
            host.ShutdownTimeout = options.ShutdownTimeout + options.LeaderElectionRenewDeadline + TimeSpan.FromSeconds(5));
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(startupClock);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IKubernetes>(new Kubernetes(clientConfiguration));
        builder.Services.AddSingleton<IKeyPairSource, Ed25519KeyPairSource>();
        builder.Services.AddSingleton(new BastionProbeOptions());
        builder.Services.AddSingleton<IBastionProbe, SshBastionProbe>();
        builder.Services.AddSingleton<Readiness>();
        builder.Services.AddSingleton<RunningOperator>();
        builder.Services.AddSingleton(new OperatorMetrics(Metrics.DefaultRegistry));
        if (options.HealthPort is { } healthPort)
        {
            builder.Services.AddHostedService(services => new HealthServer(
                healthPort,
                services.GetRequiredService<Readiness>(),
                services.GetRequiredService<OperatorMetrics>(),
                services.GetRequiredService<RunningOperator>(),
                services.GetRequiredService<ILoggerFactory>()));
        }

        builder.Services.AddHostedService<OperatorService>();

        using var host = builder.Build();
        await host.RunAsync().ConfigureAwait(false);
        return 0;
    }
}
