using SshTunnel.Core.Model;
using SshTunnel.Kubectl.Cli;
using SshTunnel.Kubectl.Output;

namespace SshTunnel.Kubectl.Tests.Output;

public sealed class AuthorizedKeysTests
{
    private static readonly ConnectionStatus Status = new() { PublicKey1 = "ssh-ed25519 AAAA1 ns/x", PublicKey2 = "ssh-ed25519 AAAA2 ns/x" };

    [Fact]
    public void PlainLinesAreTheTwoPublicKeys() =>
        Assert.Equal(["ssh-ed25519 AAAA1 ns/x", "ssh-ed25519 AAAA2 ns/x"], AuthorizedKeys.Lines("x", Status, restrict: false, []));

    [Fact]
    public void RestrictAllowsPortForwardingOnly() =>
        Assert.Equal("restrict,port-forwarding ssh-ed25519 AAAA1 ns/x", AuthorizedKeys.Lines("x", Status, restrict: true, [])[0]);

    [Fact]
    public void PermitOpenImpliesRestrictAndListsEveryDestination() =>
        Assert.Equal(
            "restrict,port-forwarding,permitopen=\"db.internal:5432\",permitopen=\"[fd00::1]:*\" ssh-ed25519 AAAA2 ns/x",
            AuthorizedKeys.Lines("x", Status, restrict: false, ["db.internal:5432", "[fd00::1]:*"])[1]);

    [Theory]
    [InlineData("db.internal")]
    [InlineData("db.internal:port")]
    [InlineData("fd00::1:5432")]
    [InlineData("db\",command=\"sh:22")]
    public void RefusesADestinationThatIsNotHostPort(string destination)
    {
        var error = Assert.Throws<PluginException>(() => AuthorizedKeys.Lines("x", Status, restrict: false, [destination]));
        Assert.Contains("--permit-open", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusesAConnectionWithoutKeys()
    {
        var error = Assert.Throws<PluginException>(() => AuthorizedKeys.Lines("x", null, restrict: false, []));
        Assert.Contains("no public keys", error.Message, StringComparison.Ordinal);
    }
}
