using System.CommandLine;
using System.Globalization;
using System.Text;
using k8s.Models;
using SshTunnel.Core.Model;
using SshTunnel.Core.Secrets;
using SshTunnel.Kubectl.Cli;
using SshTunnel.Kubectl.Output;

namespace SshTunnel.Kubectl.Commands;

/// <summary>
/// <c>ssh-command NAME -L spec ... [--key-dir DIR]</c>: writes the Secret's keys and
/// <c>known_hosts</c> to DIR (mode 600) and prints the <c>ssh -N -L</c> command that uses them.
/// </summary>
public static class SshCommandCommand
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static Command Create(ClusterOptions cluster)
    {
        var name = new Argument<string>("NAME") { Description = "The SshTunnelConnection." };
        var forwards = new Option<string[]>("--local-forward", "-L")
        {
            Description = "A forward as ssh -L takes it, e.g. 5432:db.internal:5432 (repeatable).",
            Required = true,
        };
        var keyDirectory = new Option<string>("--key-dir")
        {
            Description = "The folder the keys and known_hosts are written to (default: ./NAME-ssh-keys).",
        };
        var command = new Command("ssh-command", "Write the connection's keys to a folder and print the ssh -L command that opens the tunnel.") { name, forwards, keyDirectory };
        PluginAction.Set(command, cluster, async (parse, client, output, cancellation) =>
        {
            var connectionName = parse.GetRequiredValue(name);
            var secret = await client.GetKeySecretAsync(connectionName, cancellation);
            var folder = Path.GetFullPath(parse.GetValue(keyDirectory) ?? KeySecretLayout.SecretName(connectionName));
            var connection = ConnectionOf(secret);
            WriteFiles(secret, folder);
            if (!HasData(secret, KeySecretLayout.KnownHosts))
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync(
                    $"warning: Secret {secret.Metadata.Name} has no known_hosts yet (no probe has seen the bastion: spec.validate is false, or no login succeeded); put the bastion's host key line in {Path.Combine(folder, KeySecretLayout.KnownHosts)} before running ssh");
            }

            await output.WriteLineAsync(SshCommandLine.Format(SshCommandLine.Arguments(folder, connection, parse.GetValue(forwards) ?? [])));
        });
        return command;
    }

    private static ConnectionParameters ConnectionOf(V1Secret secret)
    {
        var port = Text(secret, KeySecretLayout.Port);
        return new ConnectionParameters(
            Text(secret, KeySecretLayout.Host),
            int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                ? number
                : throw new PluginException($"Secret {secret.Metadata.Name} has port \"{port}\", not a number; the operator reports it as SecretInvalid"),
            Text(secret, KeySecretLayout.User));
    }

    private static void WriteFiles(V1Secret secret, string folder)
    {
        try
        {
            // ssh refuses a private key that others may read; Windows has no such modes.
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(folder);
            }
            else
            {
                Directory.CreateDirectory(folder, OwnerOnly | UnixFileMode.UserExecute);
            }

            foreach (var key in new[] { KeySecretLayout.PrivateKey1, KeySecretLayout.PrivateKey2, KeySecretLayout.KnownHosts })
            {
                if (HasData(secret, key))
                {
                    var path = Path.Combine(folder, key);
                    File.WriteAllBytes(path, secret.Data[key]);
                    if (!OperatingSystem.IsWindows())
                    {
                        File.SetUnixFileMode(path, OwnerOnly);
                    }
                }
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new PluginException($"cannot write the keys to {folder}: {exception.Message}");
        }
    }

    private static bool HasData(V1Secret secret, string key) => secret.Data?.ContainsKey(key) == true;

    private static string Text(V1Secret secret, string key) =>
        HasData(secret, key)
            ? Encoding.UTF8.GetString(secret.Data[key]).Trim()
            : throw new PluginException($"Secret {secret.Metadata.Name} has no {key}; the operator reports it as SecretInvalid (kubectl describe stc)");
}
