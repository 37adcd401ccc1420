using SshTunnel.Core.Secrets;

namespace SshTunnel.Core.Reconciliation;

/// <summary>
/// Whose key Secret this is. A Secret controlled by the connection is its own. A Secret that no
/// object controls, of the operator's type and labelled for a connection of this name, is
/// adopted: it is what <c>secretPolicy: Retain</c> leaves behind, or keys a user brings. Anything
/// else (controlled by another object, another type, other labels) is someone else's and is never
/// written; whether adopted content is valid is checked afterwards like any Secret's.
/// </summary>
internal static class SecretAdoption
{
    /// <summary>Whether <paramref name="secret"/> is one this connection may adopt (not yet its own).</summary>
    public static bool IsAdoptable(SecretSnapshot secret) => secret.ControllerOwnerUid is null;

    /// <summary>
    /// Whether this decision takes over <paramref name="secret"/> (read as <paramref name="content"/>):
    /// it is adoptable and its key 1 is not the one the connection publishes yet.
    /// </summary>
    public static bool IsAdopting(ConnectionResource resource, SecretSnapshot secret, KeySecret content) =>
        IsAdoptable(secret) && resource.Status?.PublicKey1 != content.Key1.PublicKey;

    /// <summary>Why <paramref name="secret"/> is not this connection's to use, or null when it is its own or adoptable.</summary>
    public static string? Conflict(ConnectionResource resource, SecretSnapshot secret)
    {
        var secretName = KeySecretLayout.SecretName(resource.Name);
        const string Fix = "Delete or rename that Secret and the operator creates its own";
        if (secret.ControllerOwnerUid is { } owner)
        {
            return owner == resource.Uid
                ? null
                : $"Secret {secretName} exists but is not controlled by this SshTunnelConnection (its controller ownerReference has uid {owner}, not {resource.Uid}), so it is left untouched. {Fix}.";
        }

        var bringKeys = $"; to hand its keys to this connection, give it type {KeySecretLayout.SecretType} and labels {KeySecretLayout.ManagedByLabel}={KeySecretLayout.ManagedByValue} and {KeySecretLayout.ConnectionLabel}={resource.Name}.";
        if (secret.Type != KeySecretLayout.SecretType)
        {
            return $"Secret {secretName} exists but is not controlled by this SshTunnelConnection and has type {Shown(secret.Type)}, not {KeySecretLayout.SecretType}, so it is left untouched. {Fix}" + bringKeys;
        }

        var missing = new[] { (KeySecretLayout.ManagedByLabel, KeySecretLayout.ManagedByValue), (KeySecretLayout.ConnectionLabel, resource.Name) }
            .Where(label => secret.Labels.GetValueOrDefault(label.Item1) != label.Item2)
            .Select(label => $"{label.Item1}={label.Item2}")
            .ToList();
        return missing.Count == 0
            ? null
            : $"Secret {secretName} exists but is not controlled by this SshTunnelConnection and lacks the label {string.Join(" and ", missing)}, so it is left untouched. {Fix}" + bringKeys;
    }

    private static string Shown(string type) => type.Length == 0 ? "(none)" : type;
}
