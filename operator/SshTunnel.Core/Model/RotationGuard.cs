using System.Text.Json.Serialization;

namespace SshTunnel.Core.Model;

/// <summary><c>spec.rotation.guard</c>: what a rotation waits for when <c>spec.validate</c> is true.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RotationGuard>))]
public enum RotationGuard
{
    /// <summary>
    /// The default: a rotation is not carried out while the latest probe says the bastion refuses
    /// key 2 (it would lock the connection out), nor before key 2 was probed at all; it happens by
    /// itself once the bastion accepts key 2.
    /// </summary>
    SecondaryKeyAuthorized,

    /// <summary>Rotate at once, whatever the bastion says about key 2.</summary>
    None,
}
