using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using k8s;

namespace Kube.Controller.Sources;

/// <summary>
/// KubernetesClient's serializer options, which every call of the client reads with (and to
/// which an owner may have added its own compiled metadata), so that what
/// <see cref="ControllerClient"/> and <see cref="WatchEventReader{T}"/> decode reads exactly as
/// KubernetesClient itself would read it.
/// </summary>
internal static class ClientJson
{
    private static readonly JsonSerializerOptions Options = Capture();

    public static JsonTypeInfo<TValue> TypeInfo<TValue>() => (JsonTypeInfo<TValue>)Options.GetTypeInfo(typeof(TValue));

    private static JsonSerializerOptions Capture()
    {
        JsonSerializerOptions? captured = null;
        KubernetesJson.AddJsonOptions(options => captured = options);
        return captured!;
    }
}
