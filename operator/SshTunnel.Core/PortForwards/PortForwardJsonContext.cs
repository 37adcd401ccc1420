using System.Text.Json.Serialization;

namespace SshTunnel.Core.PortForwards;

/// <summary>
/// Compiled JSON for the typed parts of the forwarder's workload (its resources and its pods'
/// tolerations), so the templates serialize without reflection and the operator compiles ahead of time.
/// </summary>
[JsonSerializable(typeof(ForwarderResources))]
[JsonSerializable(typeof(IReadOnlyList<PodToleration>))]
internal sealed partial class PortForwardJsonContext : JsonSerializerContext;
