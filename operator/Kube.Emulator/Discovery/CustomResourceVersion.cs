using Kube.Emulator.Schema;

namespace Kube.Emulator.Discovery;

/// <summary>What one served version of a CRD adds to the generic behaviour: its compiled schema and printer columns.</summary>
internal sealed class CustomResourceVersion
{
    public CrdSchema? Schema { get; init; }

    public required PrinterColumnSet Columns { get; init; }
}
