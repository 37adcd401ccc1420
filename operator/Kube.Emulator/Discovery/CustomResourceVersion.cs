using System.Text.Json.Nodes;
using Kube.Emulator.Schema;

namespace Kube.Emulator.Discovery;

/// <summary>What one served version of a CRD adds to the generic behaviour: its schema and printer columns.</summary>
internal sealed class CustomResourceVersion
{
    public required string Name { get; init; }

    public required bool Storage { get; init; }

    public JsonObject? OpenApiSchema { get; init; }

    public JsonArray? PrinterColumns { get; init; }

    public bool PreserveUnknownFields { get; init; }

    public CrdSchema? Schema { get; init; }

    public PrinterColumnSet? Columns { get; init; }
}
