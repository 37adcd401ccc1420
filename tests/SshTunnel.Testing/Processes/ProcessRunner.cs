using System.Diagnostics;

namespace SshTunnel.Testing.Processes;

/// <summary>
/// Runs a real program (ssh-keygen, kubectl, helm, lua) to completion the way a user at a shell
/// would, and collects what it printed. A program that outlives its timeout, or whose caller
/// gives up, is killed together with every process it started.
/// </summary>
public static class ProcessRunner
{
    /// <summary>Long enough for helm or kubectl on a busy machine; only a hung program reaches it.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    /// <summary>How long the output pipes may stay open after the program was killed (a child it detached may hold them).</summary>
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);

    public static Task<ProcessResult> RunAsync(string file, params string[] arguments) =>
        RunAsync(file, arguments, ProcessOptions.Default);

    public static async Task<ProcessResult> RunAsync(
        string file,
        IEnumerable<string> arguments,
        ProcessOptions? options,
        CancellationToken cancellationToken = default)
    {
        options ??= ProcessOptions.Default;
        var info = StartInfo(file, arguments, options);
        info.RedirectStandardInput = options.StandardInput is not null;
        var command = Describe(info);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start " + command);
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(options.Timeout);
        try
        {
            if (options.StandardInput is { } input)
            {
                await process.StandardInput.WriteAsync(input.AsMemory(), stop.Token).ConfigureAwait(false);
                process.StandardInput.Close();
            }

            await process.WaitForExitAsync(stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            KillTree(process);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException(
                $"{command} did not finish within {options.Timeout.TotalSeconds:0} s and was killed with its children.\n"
                + $"stdout:\n{await Drain(output).ConfigureAwait(false)}\nstderr:\n{await Drain(error).ConfigureAwait(false)}");
        }

        return new ProcessResult(command, process.ExitCode, await Drain(output).ConfigureAwait(false), await Drain(error).ConfigureAwait(false));
    }

    /// <summary>
    /// Runs the program and blocks until it ends: for fixtures that prepare files synchronously
    /// (static key pairs). Continuations never need the caller's thread, so blocking cannot deadlock.
    /// </summary>
    public static ProcessResult Run(string file, params string[] arguments) =>
        RunAsync(file, arguments, ProcessOptions.Default).GetAwaiter().GetResult();

    /// <summary>The first of <paramref name="names"/> found on PATH, else null.</summary>
    public static string? FindOnPath(params string[] names)
    {
        var folders = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return names
            .SelectMany(name => folders.Select(folder => Path.Combine(folder, name)))
            .FirstOrDefault(File.Exists);
    }

    internal static ProcessStartInfo StartInfo(string file, IEnumerable<string> arguments, ProcessOptions options)
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

        foreach (var (name, value) in options.Environment)
        {
            info.Environment[name] = value;
        }

        if (options.WorkingDirectory is { } folder)
        {
            info.WorkingDirectory = folder;
        }

        return info;
    }

    internal static string Describe(ProcessStartInfo info) =>
        string.Join(' ', [info.FileName, .. info.ArgumentList.Select(argument => argument.Contains(' ', StringComparison.Ordinal) || argument.Length == 0 ? $"'{argument}'" : argument)]);

    /// <summary>Kills the process and everything it started; a process that already ended is left alone.</summary>
    internal static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It ended on its own in the meantime.
        }
    }

    private static async Task<string> Drain(Task<string> reading)
    {
        try
        {
            return await reading.WaitAsync(DrainTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return "(output still open: a process it started holds it)";
        }
    }
}
