using SshTunnel.Forwarder.Configuration;
using SshTunnel.Forwarder.Hosting;
using SshTunnel.Forwarder.Secrets;

namespace SshTunnel.Dev.PortForwards;

/// <summary>One running in-process forwarder, its Secret folder, and the Secret version the folder holds.</summary>
internal sealed class LocalForwarder(IReadOnlyList<ForwardSpec> forwards, ForwarderService service, KubeletSecretFolder folder, string? secretVersion) : IAsyncDisposable
{
    public IReadOnlyList<ForwardSpec> Forwards => forwards;

    /// <summary><c>name=127.0.0.1:port</c> per forward, in spec order, comma-separated.</summary>
    public string Address { get; } = string.Join(",", forwards.Select(forward => $"{forward.Name}=127.0.0.1:{service.Ports[forward.Name]}"));

    /// <summary>Swaps the folder to a new version of the Secret, as the kubelet does after a rotation.</summary>
    public void Update(string? version, IDictionary<string, byte[]> data)
    {
        if (version == secretVersion)
        {
            return;
        }

        folder.Write(data.AsReadOnly());
        secretVersion = version;
    }

    public async ValueTask DisposeAsync()
    {
        await service.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await service.DisposeAsync().ConfigureAwait(false);
        folder.Dispose();
    }
}
