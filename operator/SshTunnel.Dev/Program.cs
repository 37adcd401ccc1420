using System.CommandLine;
using Microsoft.Extensions.Logging;
using SshTunnel.Dev;
using SshTunnel.Dev.PortForwards;
using SshTunnel.Operator.CommandLine;
using SshTunnel.Operator.Hosting;

// Dev mode: an in-process API server with the CRDs, and the operator against it. Every flag but
// --dev-kubeconfig is the operator's own; logs are text unless --log-format json.
var startupClock = new StartupClock(TimeProvider.System);
var commandLine = new OperatorCommandLine(
    "ssh-tunnel-operator dev mode: an in-process Kubernetes API server on 127.0.0.1 with the CRDs from crds/, a kubeconfig for kubectl, and the operator against it. No cluster needed.",
    LogFormat.Text);
var kubeconfig = new Option<string?>("--dev-kubeconfig")
{
    Description = "Where to write the kubeconfig of the embedded API server. Default .dev/kubeconfig in the repository.",
};
commandLine.Command.Options.Add(kubeconfig);
return await commandLine.RunAsync(args, Console.Out, Console.Error, async (parsed, options) =>
{
    await using var cluster = await DevCluster.StartAsync(parsed.GetValue(kubeconfig));
    cluster.PrintInstructions(Console.Out);
    using var forwarderLogs = LoggerFactory.Create(logging => logging.AddSimpleConsole(console => console.SingleLine = true));
    await using var forwarders = new InProcessForwarders(forwarderLogs, TimeProvider.System);
    return await OperatorHost.RunAsync(options, cluster.ClientConfiguration, startupClock, forwarders);
});
