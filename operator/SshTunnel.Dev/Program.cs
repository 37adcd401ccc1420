using SshTunnel.Dev;
using SshTunnel.Operator.Hosting;

// Dev mode: an in-process API server with the CRDs, and the operator against it. Every flag but
// --dev-kubeconfig is the operator's own.
var startupClock = new StartupClock(TimeProvider.System);
DevArguments arguments;
try
{
    arguments = DevArguments.Parse(args);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 2;
}

await using var cluster = await DevCluster.StartAsync(arguments.KubeconfigPath);
cluster.PrintInstructions(Console.Out);
return await OperatorHost.RunAsync(arguments.OperatorArguments, cluster.ClientConfiguration, startupClock);
