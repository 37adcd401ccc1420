using System.Globalization;
using System.Net.Sockets;
using SshTunnel.Testing.Network;
using SshTunnel.Testing.Processes;

namespace SshTunnel.Benchmarks.Forwarding;

/// <summary>
/// One way through the bastion to the traffic server: the forwarder (<c>dotnet SshTunnel.Forwarder.dll</c>,
/// serving its health port as its Deployment does) or OpenSSH's <c>ssh -N -L</c>, each a process of its own with a local port on 127.0.0.1.
/// </summary>
internal sealed class Tunnel : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private readonly RunningProcess process;

    private Tunnel(string name, RunningProcess process, int port)
    {
        Name = name;
        this.process = process;
        Port = port;
    }

    public string Name { get; }

    public int Port { get; }

    public int ProcessId => process.Id;

    public static async Task<Tunnel> StartForwarderAsync(BastionSetup bastion, string assembly, string cipher, IReadOnlyDictionary<string, string> environment, int targetPort, CancellationToken cancellationToken)
    {
        var port = FreePort.Find();
        var options = new ProcessOptions { Environment = environment.ToDictionary(pair => pair.Key, string? (pair) => pair.Value) };
        var process = RunningProcess.StartProgram(
            assembly,
            [
                "--secret-dir", bastion.SecretDirectory, "--listen-address", "127.0.0.1", "--cipher", cipher,
                "--forward", string.Create(CultureInfo.InvariantCulture, $"bench={port}:127.0.0.1:{targetPort}"),
                "--health-port", FreePort.Find().ToString(CultureInfo.InvariantCulture),
            ],
            options);
        return await ReadyAsync(new Tunnel("forwarder", process, port), targetPort, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<Tunnel> StartOpenSshAsync(BastionSetup bastion, string cipher, int targetPort, CancellationToken cancellationToken)
    {
        var port = FreePort.Find();
        var process = RunningProcess.Start(
            "ssh",
            [
                "-N", "-L", string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port}:127.0.0.1:{targetPort}"),
                "-i", bastion.PrivateKeyPath, "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
                "-o", "UserKnownHostsFile=" + bastion.KnownHostsPath, "-o", "StrictHostKeyChecking=yes",
                "-o", "ExitOnForwardFailure=yes", "-c", cipher,
                "-p", bastion.Port.ToString(CultureInfo.InvariantCulture), $"{bastion.User}@{bastion.Host}",
            ]);
        return await ReadyAsync(new Tunnel("OpenSSH ssh -N -L", process, port), targetPort, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync() => await process.DisposeAsync().ConfigureAwait(false);

    /// <summary>Ready once one connection gets its first byte back through the tunnel.</summary>
    private static async Task<Tunnel> ReadyAsync(Tunnel tunnel, int targetPort, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(ReadyTimeout);
        try
        {
            while (true)
            {
                if (tunnel.process.HasExited)
                {
                    throw new InvalidOperationException($"{tunnel.Name} exited with {tunnel.process.ExitCode} before it forwarded to port {targetPort}:\n{tunnel.process.Output}");
                }

                try
                {
                    await TrafficClient.SetupLatencyAsync(tunnel.Port, deadline.Token).ConfigureAwait(false);
                    return tunnel;
                }
                catch (Exception ex) when (ex is SocketException or IOException)
                {
                    await Task.Delay(100, deadline.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var output = tunnel.process.Output;
            await tunnel.DisposeAsync().ConfigureAwait(false);
            throw new TimeoutException($"{tunnel.Name} did not forward within {ReadyTimeout.TotalSeconds} s:\n{output}");
        }
        catch
        {
            await tunnel.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
