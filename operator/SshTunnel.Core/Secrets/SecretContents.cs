namespace SshTunnel.Core.Secrets;

/// <summary>
/// The complete Secret to write: the operator turns it into a <c>V1Secret</c> (create, or
/// replace with a resourceVersion precondition) without adding or dropping anything.
/// <see cref="Owner"/> is null under <c>secretPolicy: Retain</c>: the Secret then has no
/// ownerReference, so it is not garbage-collected with its connection.
/// </summary>
public sealed record SecretContents(
    string Namespace,
    string Name,
    string Type,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    IReadOnlyDictionary<string, byte[]> Data,
    SecretOwner? Owner)
{
    /// <summary>Whether <paramref name="snapshot"/> already holds exactly these labels, annotations, data, type and owner.</summary>
    public bool IsSatisfiedBy(SecretSnapshot snapshot) => HoldsMetadataOf(snapshot) && HoldsDataAndAnnotationsOf(snapshot);

    /// <summary>Whether <paramref name="snapshot"/> has this type, owner and labels: what a cached Secret without data still shows.</summary>
    internal bool HoldsMetadataOf(SecretSnapshot snapshot) =>
        snapshot.Type == Type
        && snapshot.ControllerOwnerUid == Owner?.Uid
        && SameEntries(snapshot.Labels, Labels, string.Equals);

    /// <summary>Whether <paramref name="snapshot"/> holds exactly these annotations and data.</summary>
    public bool HoldsDataAndAnnotationsOf(SecretSnapshot snapshot) =>
        SameEntries(snapshot.Annotations, Annotations, string.Equals)
        && SameEntries(snapshot.Data, Data, (a, b) => a.AsSpan().SequenceEqual(b));

    /// <summary>
    /// Whether <paramref name="snapshot"/> holds each of these annotations and data entries,
    /// whatever else it holds: what a patch that sets exactly these entries left behind.
    /// </summary>
    public bool IsSetIn(SecretSnapshot snapshot) =>
        Includes(snapshot.Annotations, Annotations, string.Equals)
        && Includes(snapshot.Data, Data, (a, b) => a.AsSpan().SequenceEqual(b));

    private static bool SameEntries<T>(IReadOnlyDictionary<string, T> actual, IReadOnlyDictionary<string, T> wanted, Func<T, T, bool> equal) =>
        actual.Count == wanted.Count && Includes(actual, wanted, equal);

    private static bool Includes<T>(IReadOnlyDictionary<string, T> actual, IReadOnlyDictionary<string, T> wanted, Func<T, T, bool> equal) =>
        wanted.All(entry => actual.TryGetValue(entry.Key, out var value) && equal(value, entry.Value));
}
