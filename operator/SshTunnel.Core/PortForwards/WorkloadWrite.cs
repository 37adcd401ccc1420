using System.Text.Json.Nodes;
using SshTunnel.Core.Reconciliation;

namespace SshTunnel.Core.PortForwards;

/// <summary>A write of the Deployment or the Service, and the Event to record once it succeeded.</summary>
/// <param name="Kind">Create or update.</param>
/// <param name="Body">The whole object to send, in the API's JSON shape.</param>
/// <param name="Event">What the resource's Events say about the write.</param>
public sealed record WorkloadWrite(WorkloadWriteKind Kind, JsonObject Body, PlannedEvent Event);
