namespace SshTunnel.Testing.Processes;

/// <summary>How to start a program: its environment, folder, input and how long it may take.</summary>
public sealed record ProcessOptions
{
    public static readonly ProcessOptions Default = new();

    /// <summary>Variables set (or, with a null value, removed) on top of the test process's own environment.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    public string? WorkingDirectory { get; init; }

    /// <summary>Written to the program's standard input, which is then closed; null leaves stdin alone.</summary>
    public string? StandardInput { get; init; }

    /// <summary>How long <see cref="ProcessRunner"/> lets the program run before it kills it with its children.</summary>
    public TimeSpan Timeout { get; init; } = ProcessRunner.DefaultTimeout;
}
