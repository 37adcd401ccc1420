using System.Text.Json.Nodes;
using Kube.Emulator.Discovery;
using Kube.Emulator.Objects;

namespace Kube.Emulator.Strategies;

/// <summary>Namespaces: the kubernetes finalizer, phase Active, and the kubernetes.io/metadata.name label.</summary>
internal sealed class NamespaceStrategy : ObjectStrategy
{
    public override bool NameIsLabel => true;

    public override void PrepareForCreate(ResourceType type, JsonObject obj)
    {
        obj.GetOrAddObject("spec")["finalizers"] = new JsonArray("kubernetes");
        obj["status"] = new JsonObject { ["phase"] = "Active" };
        Label(obj);
    }

    public override void PrepareForUpdate(ResourceType type, JsonObject obj, JsonObject old)
    {
        obj["spec"] = old["spec"]?.DeepClone();
        obj["status"] = old["status"]?.DeepClone();
        Label(obj);
    }

    private static void Label(JsonObject obj)
    {
        var metadata = obj.Meta();
        metadata.GetOrAddObject("labels")["kubernetes.io/metadata.name"] = metadata.GetString("name");
    }
}
