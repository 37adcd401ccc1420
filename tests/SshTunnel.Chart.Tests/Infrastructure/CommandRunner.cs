using System.Diagnostics;

namespace SshTunnel.Chart.Tests.Infrastructure;

/// <summary>Runs a program to completion and collects its output; a hung program is killed.</summary>
public static class CommandRunner
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    public static async Task<ProcessResult> RunAsync(
        string file,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        var command = file + " " + string.Join(' ', info.ArgumentList);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start " + command);
        using var stop = new CancellationTokenSource(Patience);
        var output = process.StandardOutput.ReadToEndAsync(stop.Token);
        var error = process.StandardError.ReadToEndAsync(stop.Token);
        try
        {
            await process.WaitForExitAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException(command + " did not finish within " + Patience);
        }

        return new ProcessResult(command, process.ExitCode, await output, await error);
    }

    /// <summary>The first of <paramref name="names"/> found on PATH, else null.</summary>
    public static string? FindOnPath(params string[] names)
    {
        var folders = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return names
            .SelectMany(name => folders.Select(folder => Path.Combine(folder, name)))
            .FirstOrDefault(File.Exists);
    }
}
