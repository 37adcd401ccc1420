using System.Collections;

namespace Kube.Controller.Workers;

/// <summary>
/// The log scope of one reconcile: the object as <c>namespace/name</c> under <c>Object</c> and a
/// fresh <c>ReconcileId</c> (controller-runtime's <c>reconcileID</c>), so every entry written while
/// it runs, by any logger of the process, says which object and which pass it belongs to.
/// </summary>
public sealed class ReconcileScope(ObjectKey key) : IReadOnlyList<KeyValuePair<string, object?>>
{
    /// <summary>The log field that names an object, as <c>namespace/name</c>, everywhere in the operator's logs.</summary>
    public const string ObjectField = "Object";

    /// <summary>The log field of the reconcile id.</summary>
    public const string ReconcileIdField = "ReconcileId";

    public string ReconcileId { get; } = Guid.NewGuid().ToString("N")[..16];

    public int Count => 2;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new(ObjectField, key.ToString()),
        1 => new(ReconcileIdField, ReconcileId),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        yield return this[0];
        yield return this[1];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"{ObjectField}={key} {ReconcileIdField}={ReconcileId}";
}
