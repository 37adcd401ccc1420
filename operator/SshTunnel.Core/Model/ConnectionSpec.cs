using System.Text.Json.Serialization;

namespace SshTunnel.Core.Model;

/// <summary>The desired state of an <c>SshTunnelConnection</c>, as the user writes it.</summary>
public sealed class ConnectionSpec
{
    /// <summary>The port used when the spec leaves it out (Materialize's RESET of PORT).</summary>
    public const int DefaultPort = 22;

    [JsonPropertyName("host")]
    public string Host { get; set; } = "";

    [JsonPropertyName("port")]
    public int Port { get; set; } = DefaultPort;

    [JsonPropertyName("user")]
    public string User { get; set; } = "";

    [JsonPropertyName("validate")]
    public bool Validate { get; set; } = true;

    [JsonPropertyName("hostKey")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? HostKey { get; set; }

    /// <summary>Whether the key Secret is deleted with the connection or kept for the next one of the same name.</summary>
    [JsonPropertyName("secretPolicy")]
    public SecretPolicy SecretPolicy { get; set; } = SecretPolicy.Delete;

    /// <summary>How rotations are carried out; null means the defaults.</summary>
    [JsonPropertyName("rotation")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RotationSpec? Rotation { get; set; }

    /// <summary>The guard in force: <see cref="RotationGuard.SecondaryKeyAuthorized"/> unless the spec says otherwise.</summary>
    [JsonIgnore]
    public RotationGuard Guard => Rotation?.Guard ?? RotationGuard.SecondaryKeyAuthorized;

    /// <summary>The connection this spec asks for.</summary>
    public ConnectionParameters ToParameters() => new(Host, Port, User);
}
