using System.CommandLine;
using System.Globalization;
using SshTunnel.Api;
using SshTunnel.Core.Model;
using SshTunnel.Core.Reconciliation;
using SshTunnel.Kubectl.Cli;
using SshTunnel.Kubectl.Output;

namespace SshTunnel.Kubectl.Commands;

/// <summary>
/// <c>rotate NAME [--wait] [--timeout D]</c>: bumps <c>sshtunnels.io/rotate-keys</c> to one more
/// than anything seen, and with <c>--wait</c> waits until <c>status.rotation.handled</c> reaches it,
/// printing what a rotation guard says meanwhile.
/// </summary>
public static class RotateCommand
{
    public static Command Create(ClusterOptions cluster)
    {
        var name = new Argument<string>("NAME") { Description = "The SshTunnelConnection." };
        var wait = new WaitOptions();
        var command = new Command("rotate", "Rotate the keys once: key 2 becomes key 1 and a new key 2 is generated.") { name };
        wait.AddTo(command);
        PluginAction.Set(command, cluster, async (parse, client, output, cancellation) =>
        {
            var connectionName = parse.GetRequiredValue(name);
            var connection = await client.GetAsync(connectionName, cancellation);
            if (connection.Status?.PublicKey1 is null)
            {
                throw new PluginException($"SshTunnelConnection {connectionName} has no keys yet, so there is nothing to rotate; is the operator running? (kubectl describe stc {connectionName})");
            }

            var target = RotationTarget.Next(connection.Status?.Rotation?.Handled, Annotation(connection));
            var targetText = target.ToString(CultureInfo.InvariantCulture);
            await client.SetAnnotationAsync(connection, ResourceNames.RotateKeysAnnotation, targetText, cancellation);
            await output.WriteLineAsync($"sshtunnelconnection/{connectionName} annotated {ResourceNames.RotateKeysAnnotation}={targetText}");
            if (!parse.GetValue(wait.Wait))
            {
                return;
            }

            string? lastMessage = null;
            var done = await client.WaitAsync(
                connectionName,
                current => RotationTarget.IsHandled(current.Status?.Rotation?.Handled, target),
                current =>
                {
                    var ready = current.Status?.Conditions.FirstOrDefault(condition => condition.Type == ConditionTypes.Ready);
                    if (ready is { Status: "False", Reason: ConditionReasons.RotationBlocked or ConditionReasons.RotationPending } && ready.Message != lastMessage)
                    {
                        lastMessage = ready.Message;
                        output.WriteLine($"waiting ({ready.Reason}): {ready.Message}");
                    }
                },
                $"status.rotation.handled to reach {targetText}",
                parse.GetValue(wait.Timeout),
                cancellation);
            await output.WriteLineAsync(
                $"rotated (rotation {done.Status?.Rotation?.Count}): key 1 is {done.Status?.PublicKey1Fingerprint}, the new key 2 is {done.Status?.PublicKey2Fingerprint}");
        });
        return command;
    }

    private static string? Annotation(SshTunnelConnection connection) =>
        connection.Metadata.Annotations?.TryGetValue(ResourceNames.RotateKeysAnnotation, out var value) == true ? value : null;
}
