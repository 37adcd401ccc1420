using System.CommandLine;
using SshTunnel.Kubectl.Cluster;

namespace SshTunnel.Kubectl.Cli;

/// <summary>
/// Runs a subcommand against the cluster the flags name: its output goes to the invocation's
/// output, a <see cref="PluginException"/> becomes <c>error: message</c> on the error output and exit code 1.
/// </summary>
public static class PluginAction
{
    public static void Set(Command command, ClusterOptions cluster, Func<ParseResult, ConnectionClient, TextWriter, CancellationToken, Task> run) =>
        command.SetAction(async (parse, cancellation) =>
        {
            var output = parse.InvocationConfiguration.Output;
            try
            {
                using var client = cluster.Connect(parse);
                await run(parse, client, output, cancellation);
                return 0;
            }
            catch (PluginException exception)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync("error: " + exception.Message);
                return 1;
            }
        });
}
