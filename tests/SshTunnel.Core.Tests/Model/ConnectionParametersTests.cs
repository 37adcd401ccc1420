using SshTunnel.Core.Model;

namespace SshTunnel.Core.Tests.Model;

public sealed class ConnectionParametersTests
{
    [Theory]
    [InlineData("bastion.example.com", 22, "mz@bastion.example.com:22")]
    [InlineData("10.0.0.7", 2222, "mz@10.0.0.7:2222")]
    [InlineData("::1", 22, "mz@[::1]:22")]
    [InlineData("2001:db8::1", 2222, "mz@[2001:db8::1]:2222")]
    public void A_connection_is_named_user_at_endpoint_with_IPv6_in_brackets(string host, int port, string expected) =>
        Assert.Equal(expected, new ConnectionParameters(host, port, "mz").ToString());
}
