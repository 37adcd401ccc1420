using System.Text.Json.Nodes;
using Kube.Emulator.Schema;

namespace Kube.Emulator.Discovery;

/// <summary>What one served version of a CRD adds to the generic behaviour: its compiled schema and printer columns.</summary>
internal sealed class CustomResourceVersion
{
    public CrdSchema? Schema { get; init; }

    /// <summary>The version's openAPIV3Schema as the CRD states it, published in /openapi/v3 and /openapi/v2; never modified.</summary>
    public JsonObject? OpenApiSchema { get; init; }

    public required PrinterColumnSet Columns { get; init; }

    /// <summary>The Scale subresource's paths, when the version declares one.</summary>
    public ScalePaths? Scale { get; init; }
}
