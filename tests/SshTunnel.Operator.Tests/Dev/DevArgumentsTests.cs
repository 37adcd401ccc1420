using SshTunnel.Dev;

namespace SshTunnel.Operator.Tests.Dev;

/// <summary>The dev host takes its own flag and hands every other one to the operator.</summary>
public sealed class DevArgumentsTests
{
    [Theory]
    [InlineData("--dev-kubeconfig", "/tmp/kc")]
    [InlineData("--dev-kubeconfig=/tmp/kc")]
    public void The_kubeconfig_path_is_taken_out_and_the_rest_is_the_operators(params string[] kubeconfig)
    {
        var parsed = DevArguments.Parse(["--workers", "2", .. kubeconfig, "--health-port=8081"]);

        Assert.Equal("/tmp/kc", parsed.KubeconfigPath);
        Assert.Equal(["--workers", "2", "--health-port=8081"], parsed.OperatorArguments);
    }

    [Fact]
    public void Without_the_flag_the_kubeconfig_goes_to_the_default_place()
    {
        var parsed = DevArguments.Parse([]);

        Assert.Null(parsed.KubeconfigPath);
        Assert.Empty(parsed.OperatorArguments);
    }

    [Fact]
    public void The_flag_without_a_path_says_what_is_missing() =>
        Assert.Contains("needs a path", Assert.Throws<ArgumentException>(() => DevArguments.Parse(["--dev-kubeconfig"])).Message);
}
