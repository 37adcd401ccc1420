using System.CommandLine;

namespace SshTunnel.Kubectl.Cli;

/// <summary><c>--wait</c> and <c>--timeout</c>, shared by the commands that ask the operator for something.</summary>
public sealed class WaitOptions
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    public Option<bool> Wait { get; } = new("--wait")
    {
        Description = "Wait until the operator has handled the request.",
    };

    public Option<TimeSpan> Timeout { get; } = new("--timeout")
    {
        Description = "How long --wait waits, e.g. 90s, 5m, 1h (default 5m).",
        DefaultValueFactory = _ => DefaultTimeout,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (DurationText.Parse(text) is { } duration)
            {
                return duration;
            }

            result.AddError($"--timeout \"{text}\" is not a duration: write e.g. 90s, 5m or 1h30m");
            return DefaultTimeout;
        },
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Wait);
        command.Options.Add(Timeout);
    }
}
