using System.CommandLine;
using System.Globalization;
using SshTunnel.Core.Model;
using SshTunnel.Core.Reconciliation;
using SshTunnel.Kubectl.Cli;

namespace SshTunnel.Kubectl.Commands;

/// <summary>
/// <c>revalidate NAME [--wait] [--timeout D]</c>: sets <c>sshtunnels.io/revalidate</c> to a new
/// value, which has the operator probe the bastion at once, and with <c>--wait</c> waits until
/// <c>status.revalidation.handled</c> equals it.
/// </summary>
public static class RevalidateCommand
{
    public static Command Create(ClusterOptions cluster, TimeProvider time)
    {
        var name = new Argument<string>("NAME") { Description = "The SshTunnelConnection." };
        var wait = new WaitOptions();
        var command = new Command("revalidate", "Have the operator probe the bastion with both keys now.") { name };
        wait.AddTo(command);
        PluginAction.Set(command, cluster, async (parse, client, output, cancellation) =>
        {
            var connectionName = parse.GetRequiredValue(name);
            var connection = await client.GetAsync(connectionName, cancellation);
            if (!connection.Spec.Validate)
            {
                throw new PluginException($"SshTunnelConnection {connectionName} has spec.validate false: the operator never contacts the bastion, so there is nothing to revalidate (set spec.validate: true to have it probed)");
            }

            var value = NewValue(connection.Metadata.Annotations?.TryGetValue(ResourceNames.RevalidateAnnotation, out var present) == true ? present : null, time);
            await client.SetAnnotationAsync(connection, ResourceNames.RevalidateAnnotation, value, cancellation);
            await output.WriteLineAsync($"sshtunnelconnection/{connectionName} annotated {ResourceNames.RevalidateAnnotation}={value}");
            if (!parse.GetValue(wait.Wait))
            {
                return;
            }

            var done = await client.WaitAsync(
                connectionName,
                current => current.Status?.Revalidation?.Handled == value,
                _ => { },
                $"status.revalidation.handled to become {value}",
                parse.GetValue(wait.Timeout),
                cancellation);
            var conditions = done.Status?.Conditions ?? [];
            foreach (var type in new[] { ConditionTypes.Validated, ConditionTypes.SecondaryKeyAuthorized })
            {
                var condition = conditions.FirstOrDefault(item => item.Type == type);
                await output.WriteLineAsync($"{type}: {condition?.Status ?? "not reported"} ({condition?.Reason}){(condition?.Message is { Length: > 0 } message ? ": " + message : "")}");
            }
        });
        return command;
    }

    /// <summary>The current Unix time in milliseconds, or one more than the present value when the clock has not moved past it.</summary>
    private static string NewValue(string? present, TimeProvider time)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var value = long.TryParse(present, NumberStyles.None, CultureInfo.InvariantCulture, out var previous) && previous >= now ? previous + 1 : now;
        return value.ToString(CultureInfo.InvariantCulture);
    }
}
