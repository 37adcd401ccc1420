using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace SshTunnel.Testing.Processes;

/// <summary>
/// A program that runs beside the test (sshd, the operator, a kubectl watch) with every line it
/// prints kept for assertions and failure messages. Disposing it kills it with everything it
/// started; processes still running when the test host exits are killed then, so none outlives
/// the tests.
/// </summary>
public sealed class RunningProcess : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<RunningProcess, bool> Alive = new();
    private readonly Process process;
    private readonly Action<string>? onLine;
    private readonly bool keepOutput;
    private readonly List<string> standardOutputLines = [];
    private readonly StringBuilder output = new();

    static RunningProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();

    private RunningProcess(Process process, Action<string>? onLine, bool keepOutput)
    {
        this.process = process;
        this.onLine = onLine;
        this.keepOutput = keepOutput;
        Command = ProcessRunner.Describe(process.StartInfo);
    }

    /// <summary>The command line, for failure messages.</summary>
    public string Command { get; }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    /// <summary>Everything the program printed so far, stdout and stderr interleaved as they arrived.</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>The lines printed on standard output so far, in order.</summary>
    public IReadOnlyList<string> StandardOutputLines
    {
        get
        {
            lock (output)
            {
                return [.. standardOutputLines];
            }
        }
    }

    /// <summary>
    /// Starts the program; <paramref name="onLine"/> sees each line as it arrives (from a reader
    /// thread). With <paramref name="keepOutput"/> false no line is kept in memory.
    /// </summary>
    public static RunningProcess Start(
        string file,
        IEnumerable<string> arguments,
        ProcessOptions? options = null,
        Action<string>? onLine = null,
        bool keepOutput = true)
    {
        var process = new Process { StartInfo = ProcessRunner.StartInfo(file, arguments, options ?? ProcessOptions.Default) };
        var running = new RunningProcess(process, onLine, keepOutput);
        process.OutputDataReceived += (_, line) => running.Append(line.Data, fromStandardOutput: true);
        process.ErrorDataReceived += (_, line) => running.Append(line.Data, fromStandardOutput: false);
        if (!process.Start())
        {
            throw new InvalidOperationException("Could not start " + running.Command);
        }

        Alive[running] = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return running;
    }

    /// <summary>
    /// Starts a .NET program as it was built: a <c>.dll</c> with <c>dotnet</c>, anything else (a
    /// native build, as the image ships it) directly.
    /// </summary>
    public static RunningProcess StartProgram(
        string program,
        IEnumerable<string> arguments,
        ProcessOptions? options = null,
        Action<string>? onLine = null,
        bool keepOutput = true) =>
        program.EndsWith(".dll", StringComparison.Ordinal)
            ? Start("dotnet", [program, .. arguments], options, onLine, keepOutput)
            : Start(program, arguments, options, onLine, keepOutput);

    /// <summary>SIGKILL to the program and everything it started: they die at once, as on a node failure or an OOM kill.</summary>
    public void Kill() => ProcessRunner.KillTree(process);

    /// <summary>SIGTERM, what the kubelet sends first when a pod is deleted; the program decides how to end.</summary>
    public async Task TerminateAsync() =>
        (await ProcessRunner.RunAsync("kill", "-TERM", Id.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false)).Succeeded();

    /// <summary>Waits until the program ended and its output was read to the end.</summary>
    public Task WaitForExitAsync(CancellationToken cancellationToken = default) => process.WaitForExitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        Kill();
        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        Alive.TryRemove(this, out _);
        process.Dispose();
    }

    /// <summary>Kills every program still running: the last resort when the test host ends.</summary>
    public static void KillAll()
    {
        foreach (var running in Alive.Keys)
        {
            running.Kill();
        }
    }

    private void Append(string? line, bool fromStandardOutput)
    {
        if (line is null)
        {
            return;
        }

        onLine?.Invoke(line);
        if (!keepOutput)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
            if (fromStandardOutput)
            {
                standardOutputLines.Add(line);
            }
        }
    }
}
