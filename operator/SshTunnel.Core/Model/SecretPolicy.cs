using System.Text.Json.Serialization;

namespace SshTunnel.Core.Model;

/// <summary><c>spec.secretPolicy</c>: what happens to the key Secret when its connection is deleted.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SecretPolicy>))]
public enum SecretPolicy
{
    /// <summary>The default: the Secret carries the connection as its controller ownerReference and is garbage-collected with it.</summary>
    Delete,

    /// <summary>
    /// The Secret carries no ownerReference, so it outlives the connection; a connection created
    /// again with the same name adopts its keys, rotation count and handled value.
    /// </summary>
    Retain,
}
