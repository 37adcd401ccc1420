using System.Diagnostics;

namespace SshTunnel.Operator.Tests.Fixtures;

/// <summary>Runs a real command-line tool (ssh-keygen) the way a user would, for tests.</summary>
public static class ExternalTool
{
    /// <summary>Runs the tool to completion and returns its standard output; throws with its stderr when it fails.</summary>
    public static string Run(string fileName, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"{fileName} did not start.");
        var standardError = process.StandardError.ReadToEndAsync();
        var standardOutput = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{fileName} {string.Join(' ', arguments)} exited with {process.ExitCode}: {standardError.Result}");
        }

        return standardOutput;
    }
}
