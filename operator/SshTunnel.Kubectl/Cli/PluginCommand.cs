using System.CommandLine;
using SshTunnel.Kubectl.Commands;

namespace SshTunnel.Kubectl.Cli;

/// <summary>The root command of <c>kubectl sshtunnel</c>, its cluster flags and its subcommands.</summary>
public static class PluginCommand
{
    public static RootCommand Create(TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var cluster = new ClusterOptions();
        var root = new RootCommand("kubectl sshtunnel: rotate, revalidate and inspect SshTunnelConnections (sshtunnels.io).")
        {
            RotateCommand.Create(cluster),
            RevalidateCommand.Create(cluster, time),
            StatusCommand.Create(cluster, time),
            AuthorizedKeysCommand.Create(cluster),
            SshCommandCommand.Create(cluster),
        };
        foreach (var option in cluster.All)
        {
            root.Options.Add(option);
        }

        return root;
    }
}
