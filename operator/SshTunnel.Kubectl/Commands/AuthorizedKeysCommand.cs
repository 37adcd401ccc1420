using System.CommandLine;
using SshTunnel.Kubectl.Cli;
using SshTunnel.Kubectl.Output;

namespace SshTunnel.Kubectl.Commands;

/// <summary><c>authorized-keys NAME [--restrict] [--permit-open host:port ...]</c>: the lines to paste on the bastion.</summary>
public static class AuthorizedKeysCommand
{
    public static Command Create(ClusterOptions cluster)
    {
        var name = new Argument<string>("NAME") { Description = "The SshTunnelConnection." };
        var restrict = new Option<bool>("--restrict")
        {
            Description = "Prefix each line with restrict,port-forwarding: the keys can open tunnels and nothing else.",
        };
        var permitOpen = new Option<string[]>("--permit-open")
        {
            Description = "Allow tunnels only to this host:port (repeatable; implies --restrict).",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("authorized-keys", "Print the bastion's authorized_keys lines for key 1 and key 2.") { name, restrict, permitOpen };
        PluginAction.Set(command, cluster, async (parse, client, output, cancellation) =>
        {
            var connectionName = parse.GetRequiredValue(name);
            var connection = await client.GetAsync(connectionName, cancellation);
            foreach (var line in AuthorizedKeys.Lines(connectionName, connection.Status, parse.GetValue(restrict), parse.GetValue(permitOpen) ?? []))
            {
                await output.WriteLineAsync(line);
            }
        });
        return command;
    }
}
