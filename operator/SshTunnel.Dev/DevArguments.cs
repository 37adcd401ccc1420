namespace SshTunnel.Dev;

/// <summary>The dev host's command line: its own <c>--dev-kubeconfig PATH</c>, and the operator's flags.</summary>
public sealed record DevArguments(string? KubeconfigPath, IReadOnlyList<string> OperatorArguments)
{
    private const string KubeconfigFlag = "--dev-kubeconfig";

    /// <summary>Takes <c>--dev-kubeconfig PATH</c> (or <c>--dev-kubeconfig=PATH</c>) out; the rest goes to the operator.</summary>
    public static DevArguments Parse(IReadOnlyList<string> args)
    {
        string? kubeconfig = null;
        var rest = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == KubeconfigFlag)
            {
                kubeconfig = i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{KubeconfigFlag} needs a path");
            }
            else if (args[i].StartsWith(KubeconfigFlag + "=", StringComparison.Ordinal))
            {
                kubeconfig = args[i][(KubeconfigFlag.Length + 1)..];
            }
            else
            {
                rest.Add(args[i]);
            }
        }

        return new DevArguments(kubeconfig, rest);
    }
}
