using SshTunnel.Core.Secrets;
using SshTunnel.Forwarder.Secrets;
using SshTunnel.Forwarder.Tests.Support;

namespace SshTunnel.Forwarder.Tests.Secrets;

public sealed class MountedSecretTests : IDisposable
{
    private readonly KubeletSecretVolume volume = new();

    public void Dispose() => volume.Dispose();

    [Fact]
    public void Reads_the_version_the_data_link_points_to_and_follows_the_swap()
    {
        var reader = new MountedSecretReader(volume.Path);
        volume.Write(KubeletSecretVolume.KeySecret("bastion", 2222, "tunnel", "KEY-ONE", "KEY-TWO", null));
        var first = reader.Read();

        volume.Write(KubeletSecretVolume.KeySecret("bastion-2", 22, "tunnel", "KEY-TWO", "KEY-THREE", null));
        var second = reader.Read();

        Assert.Equal(("bastion", 2222, "KEY-ONE", "KEY-TWO"), (first.Host, first.Port, first.PrivateKey1, first.PrivateKey2));
        Assert.Equal(("bastion-2", 22, "KEY-TWO", "KEY-THREE"), (second.Host, second.Port, second.PrivateKey1, second.PrivateKey2));
        Assert.NotEqual(first.Version, second.Version);
        Assert.Equal(second.Version, reader.CurrentVersion());
        Assert.True(second.KnownHosts.IsEmpty);
    }

    [Fact]
    public void A_plain_folder_is_versioned_by_its_contents()
    {
        var data = KubeletSecretVolume.KeySecret("bastion", 22, "tunnel", "KEY-ONE", null, null);
        var first = MountedSecretParser.Parse(data, "");
        data[KeySecretLayout.PrivateKey1] = "KEY-TWO";

        Assert.StartsWith("sha256:", first.Version, StringComparison.Ordinal);
        Assert.NotEqual(first.Version, MountedSecretParser.Parse(data, "").Version);
        Assert.Null(first.PrivateKey2);
    }

    [Theory]
    [InlineData(KeySecretLayout.Host, "the Secret has no 'host'")]
    [InlineData(KeySecretLayout.User, "the Secret has no 'user'")]
    [InlineData(KeySecretLayout.PrivateKey1, "the Secret has no 'private-key-1'")]
    public void A_missing_file_names_itself(string missing, string expected)
    {
        var data = KubeletSecretVolume.KeySecret("bastion", 22, "tunnel", "KEY-ONE", null, null);
        data.Remove(missing);

        var error = Assert.Throws<InvalidDataException>(() => MountedSecretParser.Parse(data, "v1"));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_port_and_the_printed_form_say_nothing_of_the_keys()
    {
        var data = KubeletSecretVolume.KeySecret("bastion", 22, "tunnel", "KEY-ONE", "KEY-TWO", null);
        var secret = MountedSecretParser.Parse(data, "v1");
        data[KeySecretLayout.Port] = "http";

        Assert.Contains("'port' must be a port from 1 to 65535, got 'http'", Assert.Throws<InvalidDataException>(() => MountedSecretParser.Parse(data, "v1")).Message, StringComparison.Ordinal);
        Assert.DoesNotContain("KEY-", secret.ToString(), StringComparison.Ordinal);
    }
}
