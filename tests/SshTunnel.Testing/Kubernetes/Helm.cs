using SshTunnel.Testing.Processes;

namespace SshTunnel.Testing.Kubernetes;

/// <summary>
/// The real helm binary: the HELM environment variable, else helm on PATH (tests/run.sh installs
/// it there). Its cache and config live in the test output folder.
/// </summary>
public static class Helm
{
    private static readonly string Home = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "helm-home")).FullName;

    public static string Executable { get; } = Locate();

    public static Task<ProcessResult> RunAsync(params string[] arguments) =>
        ProcessRunner.RunAsync(Executable, arguments, new ProcessOptions
        {
            Environment = new Dictionary<string, string?>
            {
                ["HOME"] = Home,
                ["HELM_CACHE_HOME"] = Path.Combine(Home, "cache"),
                ["HELM_CONFIG_HOME"] = Path.Combine(Home, "config"),
                ["HELM_DATA_HOME"] = Path.Combine(Home, "data"),
            },
        });

    /// <summary>Runs helm against the cluster of <paramref name="kubeconfigPath"/>.</summary>
    public static Task<ProcessResult> RunAgainstAsync(string kubeconfigPath, params string[] arguments) =>
        RunAsync([.. arguments, "--kubeconfig", kubeconfigPath]);

    private static string Locate()
    {
        var configured = Environment.GetEnvironmentVariable("HELM");
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }

        return ProcessRunner.FindOnPath("helm")
            ?? throw new InvalidOperationException("helm not found: set HELM or put helm on PATH (tests/run.sh installs it into .tools/bin)");
    }
}
