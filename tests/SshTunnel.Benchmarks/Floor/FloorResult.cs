namespace SshTunnel.Benchmarks.Floor;

/// <summary>How long the bare client took to make the operator's writes for every connection.</summary>
internal sealed record FloorResult(int Connections, int Concurrency, TimeSpan Provision, TimeSpan Rotate)
{
    public double ProvisionRate => Connections / Provision.TotalSeconds;

    public double RotateRate => Connections / Rotate.TotalSeconds;
}
