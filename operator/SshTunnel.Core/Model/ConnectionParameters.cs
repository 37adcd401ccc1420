using System.Globalization;
using System.Text.Json.Serialization;

namespace SshTunnel.Core.Model;

/// <summary>
/// The bastion a connection logs in to: the three values that change together when a
/// spec generation takes effect (<c>status.connection</c> and the Secret's host, port, user).
/// </summary>
public sealed record ConnectionParameters(
    [property: JsonPropertyName("host")] string Host,
    [property: JsonPropertyName("port")] int Port,
    [property: JsonPropertyName("user")] string User)
{
    /// <summary><c>host:port</c>, with an IPv6 literal in brackets (<c>[::1]:22</c>), as OpenSSH writes it.</summary>
    [JsonIgnore]
    public string Endpoint => Host.Contains(':', StringComparison.Ordinal)
        ? string.Create(CultureInfo.InvariantCulture, $"[{Host}]:{Port}")
        : string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}");

    /// <summary><c>user@host:port</c> (<c>user@[::1]:22</c> for IPv6), the one way messages and logs name a connection.</summary>
    public override string ToString() => $"{User}@{Endpoint}";
}
