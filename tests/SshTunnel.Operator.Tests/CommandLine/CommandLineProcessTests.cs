using SshTunnel.Testing.Processes;

namespace SshTunnel.Operator.Tests.CommandLine;

/// <summary>The real binaries' command lines, run as a user runs them, with no cluster anywhere.</summary>
public sealed class CommandLineProcessTests : IDisposable
{
    private readonly string home = Directory.CreateTempSubdirectory("no-cluster-").FullName;

    [Theory]
    [InlineData("SshTunnel.Operator.dll", "--help")]
    [InlineData("SshTunnel.Operator.dll", "-h")]
    [InlineData("SshTunnel.Dev.dll", "--help")]
    public async Task Help_lists_every_flag_and_exits_0_without_a_cluster(string program, string flag)
    {
        var result = await RunAsync(program, flag);

        Assert.True(result.ExitCode == 0, result.Describe());
        foreach (var expected in new[]
        {
            "--workers", "--namespaces", "--resync-period", "--probe-concurrency", "--revalidate-interval",
            "--metrics-bind-address", "--health-probe-bind-address", "--health-port", "--log-level", "--log-format",
            "--leader-elect", "--leader-election-namespace", "--leader-election-lease-name",
            "--leader-election-lease-duration", "--leader-election-renew-deadline", "--leader-election-retry-period",
            "--shutdown-timeout",
        })
        {
            Assert.Contains(expected + " ", result.Output, StringComparison.Ordinal);
        }

        Assert.Equal(program == "SshTunnel.Dev.dll", result.Output.Contains("--dev-kubeconfig", StringComparison.Ordinal));
        Assert.Empty(Directory.EnumerateFileSystemEntries(home));
    }

    [Theory]
    [InlineData("SshTunnel.Operator.dll")]
    [InlineData("SshTunnel.Dev.dll")]
    public async Task Every_bad_flag_is_named_and_exits_2(string program)
    {
        var result = await RunAsync(program, "--wokers", "3", "--log-format", "xml", "--log-level=loud", "--metrics-bind-address", "8080");

        Assert.True(result.ExitCode == 2, result.Describe());
        Assert.Contains("'--wokers'", result.Error, StringComparison.Ordinal);
        Assert.Contains("--log-format must be json or text, got 'xml'", result.Error, StringComparison.Ordinal);
        Assert.Contains("--log-level must be trace, debug, info, warning or error, got 'loud'", result.Error, StringComparison.Ordinal);
        Assert.Contains("--metrics-bind-address must be HOST:PORT", result.Error, StringComparison.Ordinal);
        Assert.Contains("--help", result.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(home));
    }

    [Fact]
    public async Task A_lone_unknown_flag_is_named()
    {
        var result = await RunAsync("SshTunnel.Operator.dll", "--bogus");

        Assert.True(result.ExitCode == 2, result.Describe());
        Assert.Contains("'--bogus'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_cluster_the_operator_says_where_it_looked_and_exits_2()
    {
        var result = await RunAsync("SshTunnel.Operator.dll");

        Assert.True(result.ExitCode == 2, result.Describe());
        Assert.Contains("No cluster to connect to", result.Error, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(home, recursive: true);

    private Task<ProcessResult> RunAsync(string program, params string[] arguments) =>
        ProcessRunner.RunAsync(
            "dotnet",
            [Path.Combine(AppContext.BaseDirectory, program), .. arguments],
            new ProcessOptions
            {
                Environment = new Dictionary<string, string?> { ["HOME"] = home, ["KUBECONFIG"] = Path.Combine(home, "absent"), ["KUBERNETES_SERVICE_HOST"] = null },
                WorkingDirectory = home,
            });
}
