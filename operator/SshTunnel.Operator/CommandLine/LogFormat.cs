namespace SshTunnel.Operator.CommandLine;

/// <summary>The <c>--log-format</c>: JSON lines for log collectors, or one readable line per entry.</summary>
public enum LogFormat
{
    /// <summary>One JSON object per line (the operator's default).</summary>
    Json,

    /// <summary>One line of text per entry (dev mode's default).</summary>
    Text,
}
