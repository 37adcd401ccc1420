namespace SshTunnel.Testing.Processes;

/// <summary>Exit code and output of a finished command.</summary>
public sealed record ProcessResult(string Command, int ExitCode, string Output, string Error)
{
    /// <summary>Fails the test, with the command's output, unless it exited with 0.</summary>
    public ProcessResult Succeeded()
    {
        Assert.True(ExitCode == 0, Describe());
        return this;
    }

    /// <summary>Fails the test, with the command's output, unless it exited with an error.</summary>
    public ProcessResult Failed()
    {
        Assert.True(ExitCode != 0, Describe());
        return this;
    }

    /// <summary>The command, its exit code and everything it printed, for failure messages.</summary>
    public string Describe() => Command + "\nexit " + ExitCode + "\nstdout:\n" + Output + "\nstderr:\n" + Error;
}
