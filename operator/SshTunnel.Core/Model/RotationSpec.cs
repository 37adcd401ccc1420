using System.Text.Json.Serialization;

namespace SshTunnel.Core.Model;

/// <summary><c>spec.rotation</c>: how a bump of the rotate-keys annotation is carried out.</summary>
public sealed class RotationSpec
{
    [JsonPropertyName("guard")]
    public RotationGuard Guard { get; set; } = RotationGuard.SecondaryKeyAuthorized;
}
