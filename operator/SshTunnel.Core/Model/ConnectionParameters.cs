using System.Text.Json.Serialization;

namespace SshTunnel.Core.Model;

/// <summary>
/// The bastion a connection logs in to: the three values that change together when a
/// spec generation takes effect (<c>status.connection</c> and the Secret's host, port, user).
/// </summary>
public sealed record ConnectionParameters(
    [property: JsonPropertyName("host")] string Host,
    [property: JsonPropertyName("port")] int Port,
    [property: JsonPropertyName("user")] string User);
