namespace Kube.Emulator;

/// <summary>Settings of a <see cref="KubeEmulator"/>.</summary>
public sealed class EmulatorOptions
{
    /// <summary>Address Kestrel listens on.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>TCP port; 0 picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>Clock for timestamps, watch timeouts and bookmarks.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Watch events kept per resource type before the oldest are compacted away.</summary>
    public int WatchHistoryLimit { get; set; } = 10_000;

    /// <summary>CRDs (yaml/json) installed at start, as if applied through the API.</summary>
    public string? CrdDirectory { get; set; }

    /// <summary>Serves <see cref="KubeEmulator.Control"/> over HTTP under /emulator/v1/ (see the README); off by default.</summary>
    public bool ControlOverHttp { get; set; }

    /// <summary>
    /// kube-apiserver's OwnerReferencesPermissionEnforcement admission plugin (off, as in its default
    /// set): for users RBAC governs, a new <c>blockOwnerDeletion</c> needs update on the owner's
    /// finalizers, and changing ownerReferences needs delete on the object.
    /// </summary>
    public bool OwnerReferencesPermissionEnforcement { get; set; }

    /// <summary>How often watches that asked for bookmarks receive one.</summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromSeconds(5);
}
