namespace SshTunnel.Core.Model;

/// <summary>The names that identify the <c>SshTunnelConnection</c> API and its annotations.</summary>
public static class ResourceNames
{
    public const string Group = "sshtunnels.io";
    public const string Version = "v1alpha1";
    public const string ApiVersion = Group + "/" + Version;
    public const string Kind = "SshTunnelConnection";
    public const string Plural = "sshtunnelconnections";

    /// <summary>The annotation users bump (to an integer, e.g. <c>$(date +%s)</c>) to rotate the keys.</summary>
    public const string RotateKeysAnnotation = Group + "/rotate-keys";

    /// <summary>
    /// The annotation users change (to any new value, e.g. <c>$(date +%s)</c>) to have the bastion
    /// probed at once; the value handled is published in <c>status.revalidation.handled</c>.
    /// </summary>
    public const string RevalidateAnnotation = Group + "/revalidate";

    /// <summary>The field manager and <c>app.kubernetes.io/managed-by</c> value of the operator.</summary>
    public const string Manager = "ssh-tunnel-operator";
}
