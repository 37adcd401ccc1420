using System.CommandLine;
using SshTunnel.Kubectl.Cli;
using SshTunnel.Kubectl.Output;

namespace SshTunnel.Kubectl.Commands;

/// <summary><c>status NAME</c>: the human summary of <see cref="StatusSummary"/>.</summary>
public static class StatusCommand
{
    public static Command Create(ClusterOptions cluster, TimeProvider time)
    {
        var name = new Argument<string>("NAME") { Description = "The SshTunnelConnection." };
        var command = new Command("status", "Summarise a connection: keys, what the bastion accepts, rotations, and what to do next.") { name };
        PluginAction.Set(command, cluster, async (parse, client, output, cancellation) =>
        {
            var connection = await client.GetAsync(parse.GetRequiredValue(name), cancellation);
            await output.WriteAsync(StatusSummary.Render(connection, time.GetUtcNow()));
        });
        return command;
    }
}
