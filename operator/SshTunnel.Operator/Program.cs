using k8s;
using k8s.Exceptions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SshTunnel.Core.Keys;
using SshTunnel.Operator.Hosting;
using SshTunnel.Operator.Keys;
using SshTunnel.Operator.Probing;

var startupClock = new StartupClock(TimeProvider.System);
OperatorOptions options;
try
{
    options = OperatorOptions.Parse(args);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 2;
}

await using var devCluster = options.Dev ? await DevCluster.StartAsync(options.DevKubeconfig) : null;
devCluster?.PrintInstructions(Console.Out);
KubernetesClientConfiguration clientConfiguration;
try
{
    clientConfiguration = devCluster?.ClientConfiguration
        ?? (KubernetesClientConfiguration.IsInCluster()
            ? KubernetesClientConfiguration.InClusterConfig()
            : KubeconfigLoader.Load(KubeconfigLoader.DefaultPath()));
}
catch (KubeConfigException e)
{
    await Console.Error.WriteLineAsync($"No cluster to connect to: {e.Message}. Set KUBECONFIG, run in a pod, or use --dev.");
    return 2;
}

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
builder.Logging.AddJsonConsole(console =>
{
    console.UseUtcTimestamp = true;
    console.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
});
builder.Logging.SetMinimumLevel(LogLevel.Information);
builder.Services.AddSingleton(options);
builder.Services.AddSingleton(startupClock);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<IKubernetes>(new Kubernetes(clientConfiguration));
builder.Services.AddSingleton<IKeyPairSource, Ed25519KeyPairSource>();
builder.Services.AddSingleton(new BastionProbeOptions());
builder.Services.AddSingleton<IBastionProbe, SshBastionProbe>();
builder.Services.AddSingleton<Readiness>();
if (options.HealthPort is { } healthPort)
{
    builder.Services.AddHostedService(services => new HealthServer(
        healthPort, services.GetRequiredService<Readiness>(), services.GetRequiredService<ILoggerFactory>()));
}

builder.Services.AddHostedService<OperatorService>();

using var host = builder.Build();
await host.RunAsync();
return 0;
