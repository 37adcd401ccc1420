using System.Text.Json.Nodes;
using Kube.Emulator.Discovery;

namespace Kube.Emulator.Strategies;

/// <summary>Custom resources: generation on any change outside metadata and status, resourceVersion required on update, schema defaults and validation.</summary>
internal sealed class CustomResourceStrategy : ObjectStrategy
{
    public CustomResourceStrategy()
    {
        TracksGeneration = true;
    }

    public override bool AllowUnconditionalUpdate => false;

    public override bool ReturnDeletedObject => true;

    public override bool SupportsStrategicMerge => false;

    public override IEnumerable<FieldProblem> Validate(ResourceType type, JsonObject obj, JsonObject? old) => [];
}
