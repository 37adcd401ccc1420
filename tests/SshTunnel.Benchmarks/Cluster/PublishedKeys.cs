namespace SshTunnel.Benchmarks.Cluster;

/// <summary>The public keys a connection's status shows.</summary>
internal sealed record PublishedKeys(string? Key1, string? Key2)
{
    public bool Complete => Key1 is not null && Key2 is not null;

    /// <summary>Whether these keys are one rotation on from <paramref name="before"/>: key 2 promoted, a new key 2.</summary>
    public bool RotatedFrom(PublishedKeys before) => Key1 == before.Key2 && Key2 is not null && Key2 != before.Key2;
}
