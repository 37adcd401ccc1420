using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using k8s;

namespace Kube.Controller.Sources;

/// <summary>
/// The options <see cref="ControllerClient"/> and <see cref="WatchEventReader{T}"/> decode with:
/// a copy of KubernetesClient's, which every call of the client reads with (with whatever
/// compiled metadata the owner put in front of them before the first read), so an object reads
/// exactly as KubernetesClient would read it, except that <see cref="ManagedFieldsSkipper"/>
/// leaves managedFields out.
/// </summary>
internal static class ClientJson
{
    private static readonly Lazy<JsonSerializerOptions> Options = new(Create);

    public static JsonTypeInfo<TValue> TypeInfo<TValue>() => (JsonTypeInfo<TValue>)Options.Value.GetTypeInfo(typeof(TValue));

    private static JsonSerializerOptions Create()
    {
        JsonSerializerOptions? shared = null;
        KubernetesJson.AddJsonOptions(options => shared = options);
        var options = new JsonSerializerOptions(shared!);
        options.Converters.Insert(0, new ManagedFieldsSkipper());
        return options;
    }
}
