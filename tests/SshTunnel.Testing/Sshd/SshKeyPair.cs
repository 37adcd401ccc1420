using SshTunnel.Testing.Processes;

namespace SshTunnel.Testing.Sshd;

/// <summary>An Ed25519 key pair made by the real <c>ssh-keygen</c>, as a user of the bastion would make one.</summary>
public sealed class SshKeyPair
{
    private SshKeyPair(string privateKey, string publicKeyLine, string fingerprint)
    {
        PrivateKey = privateKey;
        PublicKeyLine = publicKeyLine;
        Fingerprint = fingerprint;
    }

    /// <summary>The unencrypted OpenSSH PEM private key (<c>-----BEGIN OPENSSH PRIVATE KEY-----</c>).</summary>
    public string PrivateKey { get; }

    /// <summary>The public key line as ssh-keygen wrote it: <c>ssh-ed25519 AAAA... comment</c>.</summary>
    public string PublicKeyLine { get; }

    /// <summary>The <c>SHA256:</c> fingerprint that <c>ssh-keygen -l</c> prints.</summary>
    public string Fingerprint { get; }

    /// <summary>Runs <c>ssh-keygen -t ed25519 -N ''</c> in a temporary directory and reads the result.</summary>
    public static SshKeyPair Generate(string comment = "probe-test")
    {
        var directory = Directory.CreateTempSubdirectory("ssh-key-pair-");
        try
        {
            var path = Path.Combine(directory.FullName, "id_ed25519");
            ProcessRunner.Run("ssh-keygen", "-q", "-t", "ed25519", "-N", string.Empty, "-C", comment, "-f", path).Succeeded();
            return new SshKeyPair(
                File.ReadAllText(path),
                File.ReadAllText(path + ".pub").Trim(),
                FingerprintOf(path + ".pub"));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>The second field of <c>ssh-keygen -l -f FILE</c>: <c>256 SHA256:... comment (ED25519)</c>.</summary>
    public static string FingerprintOf(string publicKeyPath) =>
        ProcessRunner.Run("ssh-keygen", "-l", "-f", publicKeyPath).Succeeded().Output.Split(' ')[1];
}
