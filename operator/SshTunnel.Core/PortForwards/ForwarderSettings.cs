namespace SshTunnel.Core.PortForwards;

/// <summary>How the operator runs forwarder pods.</summary>
/// <param name="Image">The image: the operator's own, which ships the forwarder at <see cref="Program"/>.</param>
public sealed record ForwarderSettings(string Image)
{
    /// <summary>Where the image carries the forwarder.</summary>
    public const string Program = "/app/forwarder/SshTunnel.Forwarder";

    /// <summary>Where the connection's key Secret is mounted in the pod.</summary>
    public const string SecretDirectory = "/etc/sshtunnel";

    /// <summary>The forwarder's /healthz, /readyz and /metrics port.</summary>
    public const int HealthPort = 20000;

    /// <summary>
    /// The container port of the first forward; the others follow in spec order. Fixed high ports,
    /// not the Service ports: a non-root container without capabilities cannot bind below 1024 on
    /// every runtime, and they never collide with the health port.
    /// </summary>
    public const int FirstListenPort = HealthPort + 1;

    /// <summary>The image's non-root user (and group), which also owns the mounted Secret's files through fsGroup.</summary>
    public const long User = 1654;

    /// <summary>The container's requests and limits when <c>spec.resources</c> is absent.</summary>
    public static ForwarderResources DefaultResources { get; } = new()
    {
        Requests = new Dictionary<string, string> { ["cpu"] = "50m", ["memory"] = "96Mi" },
        Limits = new Dictionary<string, string> { ["memory"] = "256Mi" },
    };
}
