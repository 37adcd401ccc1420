using System.Globalization;
using System.Net;
using SshTunnel.Testing.Network;
using SshTunnel.Testing.Polling;
using SshTunnel.Testing.Processes;

namespace SshTunnel.Testing.OperatorHost;

/// <summary>
/// The real operator binary (<c>dotnet SshTunnel.Operator.dll</c>, built with the tests) run as a
/// process against a kubeconfig, with its health port: readiness and metrics as a kubelet and
/// Prometheus see them, and everything it printed for failure messages. Disposing kills it.
/// </summary>
public sealed class OperatorProcess : IAsyncDisposable
{
    /// <summary>The flag that names the port of /healthz, /readyz, /metrics and /debug/idle.</summary>
    public const string HealthPortFlag = "--health-port";

    private const string IdlePath = "/debug/idle";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private OperatorProcess(RunningProcess process, int healthPort)
    {
        Process = process;
        HealthPort = healthPort;
    }

    /// <summary>
    /// The trait (<c>[Trait(TraitName, TraitValue)]</c>) of every test class that runs the operator as
    /// a process: tests/run.sh runs exactly those again against the native build.
    /// </summary>
    public const string TraitName = "Runs";

    /// <inheritdoc cref="TraitName"/>
    public const string TraitValue = "OperatorProcess";

    /// <summary>The environment variable that names another operator program to run: the native build, as the image ships it.</summary>
    public const string ProgramVariable = "SSHTUNNEL_OPERATOR_PROGRAM";

    /// <summary>
    /// The operator program the tests run: the one <see cref="ProgramVariable"/> names (tests/run.sh
    /// sets it for its pass over the native build), else the assembly in the test output, where the
    /// project reference copies it.
    /// </summary>
    public static string DefaultAssembly =>
        Environment.GetEnvironmentVariable(ProgramVariable) is { Length: > 0 } program
            ? program
            : Path.Combine(AppContext.BaseDirectory, "SshTunnel.Operator.dll");

    public RunningProcess Process { get; }

    public int HealthPort { get; }

    /// <summary>Everything the operator printed so far (empty when started with <c>keepOutput: false</c>).</summary>
    public string Output => Process.Output;

    public bool HasExited => Process.HasExited;

    public int ExitCode => Process.ExitCode;

    /// <summary>
    /// Starts the operator with <paramref name="arguments"/>. The health port is the one a
    /// <c>--health-port</c> among them names, else a free one added to them. A <c>.dll</c>
    /// <paramref name="assembly"/> runs with <c>dotnet</c>; anything else (a native build) runs directly.
    /// <paramref name="onLine"/> sees every line it prints; <paramref name="keepOutput"/> false
    /// keeps none in memory (a long run whose lines go to a file).
    /// </summary>
    public static OperatorProcess Start(
        string kubeconfig,
        IEnumerable<string> arguments,
        string? assembly = null,
        IReadOnlyDictionary<string, string?>? environment = null,
        Action<string>? onLine = null,
        bool keepOutput = true)
    {
        assembly ??= DefaultAssembly;
        if (!File.Exists(assembly))
        {
            throw new FileNotFoundException($"the operator is not built at {assembly}", assembly);
        }

        List<string> flags = [.. arguments];
        var named = flags.IndexOf(HealthPortFlag);
        int healthPort;
        if (named >= 0 && named + 1 < flags.Count)
        {
            healthPort = int.Parse(flags[named + 1], CultureInfo.InvariantCulture);
        }
        else
        {
            healthPort = FreePort.Find();
            flags.AddRange([HealthPortFlag, healthPort.ToString(CultureInfo.InvariantCulture)]);
        }

        var options = new ProcessOptions
        {
            Environment = new Dictionary<string, string?>(environment ?? new Dictionary<string, string?>()) { ["KUBECONFIG"] = kubeconfig },
        };
        return new OperatorProcess(RunningProcess.StartProgram(assembly, flags, options, onLine, keepOutput), healthPort);
    }

    /// <summary>SIGKILL: the process dies at once, as on a node failure or an OOM kill.</summary>
    public void Kill() => Process.Kill();

    /// <summary>SIGTERM, what the kubelet sends first when a pod is deleted.</summary>
    public Task TerminateAsync() => Process.TerminateAsync();

    public Task WaitForExitAsync(CancellationToken cancellationToken = default) => Process.WaitForExitAsync(cancellationToken);

    /// <summary>The HTTP status and body of a health endpoint (<c>/readyz</c>); status 0 while nothing answers on the port.</summary>
    public async Task<(int Status, string Body)> AnswerOfAsync(string path, CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await Http.GetAsync(Endpoint(path), cancellationToken).ConfigureAwait(false);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return (0, e.Message);
        }
    }

    public async Task<bool> IsReadyAsync(CancellationToken cancellationToken = default) =>
        (await AnswerOfAsync("/readyz", cancellationToken).ConfigureAwait(false)).Status == (int)HttpStatusCode.OK;

    /// <summary>
    /// Waits until the operator says it is idle (<c>/debug/idle</c> answers 200): its caches hold
    /// every change up to <paramref name="resourceVersion"/> (the version a test's last write
    /// returned; null for the operator's own writes only) and nothing is queued, due, in flight,
    /// probing or unpublished. The real signal a test waits for before it asserts that nothing
    /// (more) happened.
    /// </summary>
    public Task WaitForIdleAsync(string? resourceVersion = null, TimeSpan? timeout = null) =>
        Eventually.Until(
            () => AnswerOfAsync(resourceVersion is null ? IdlePath : $"{IdlePath}?resourceVersion={resourceVersion}"),
            answer => answer.Status == (int)HttpStatusCode.OK,
            $"the operator to be idle{(resourceVersion is null ? "" : " at resourceVersion " + resourceVersion)}",
            timeout,
            answer => $"{answer.Status} {answer.Body}; the operator printed:\n{Output}");

    public Task<PrometheusScrape> ScrapeAsync(CancellationToken cancellationToken = default) =>
        PrometheusScrape.FetchAsync(Http, HealthPort, cancellationToken);

    /// <summary>The metrics, or null while nothing answers on the port.</summary>
    public async Task<PrometheusScrape?> ScrapeOrNullAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await ScrapeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }

    /// <summary>The address of a path on the health port.</summary>
    public Uri Endpoint(string path) => new($"http://127.0.0.1:{HealthPort}{path}");

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
