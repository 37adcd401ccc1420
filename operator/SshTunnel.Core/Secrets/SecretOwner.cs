using SshTunnel.Core.Model;

namespace SshTunnel.Core.Secrets;

/// <summary>
/// The controller ownerReference a key Secret carries (<c>controller: true</c>,
/// <c>blockOwnerDeletion: true</c>), so deleting the connection deletes its keys.
/// </summary>
public sealed record SecretOwner(string Name, string Uid)
{
    public string ApiVersion => ResourceNames.ApiVersion;

    public string Kind => ResourceNames.Kind;
}
