using SshTunnel.Core.Model;

namespace SshTunnel.Core.Secrets;

/// <summary>The names inside a connection's key Secret (operator/DESIGN.md, section 3).</summary>
public static class KeySecretLayout
{
    public const string SecretType = ResourceNames.Group + "/key-pairs";
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";
    public const string ManagedByValue = ResourceNames.Manager;
    public const string ConnectionLabel = ResourceNames.Group + "/connection";

    /// <summary>The label selector the operator watches Secrets through.</summary>
    public const string ManagedBySelector = ManagedByLabel + "=" + ManagedByValue;

    public const string PrivateKey1 = "private-key-1";
    public const string PublicKey1 = "public-key-1";
    public const string PrivateKey2 = "private-key-2";
    public const string PublicKey2 = "public-key-2";
    public const string Host = "host";
    public const string Port = "port";
    public const string User = "user";
    public const string KnownHosts = "known_hosts";

    public const string RotationHandledAnnotation = ResourceNames.Group + "/rotation-handled";
    public const string RotationCountAnnotation = ResourceNames.Group + "/rotation-count";
    public const string LastRotationTimeAnnotation = ResourceNames.Group + "/last-rotation-time";

    /// <summary>The Secret of connection <paramref name="connectionName"/>: <c>&lt;name&gt;-ssh-keys</c>.</summary>
    public static string SecretName(string connectionName) => connectionName + "-ssh-keys";

    /// <summary>The data keys, labels and annotations the operator owns; a rewrite keeps everything else.</summary>
    internal static readonly string[] OwnedDataKeys = [PrivateKey1, PublicKey1, PrivateKey2, PublicKey2, Host, Port, User, KnownHosts];

    internal static readonly string[] OwnedAnnotations = [RotationHandledAnnotation, RotationCountAnnotation, LastRotationTimeAnnotation];
}
