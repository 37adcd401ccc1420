namespace SshTunnel.Benchmarks.Floor;

/// <summary>
/// How long the bare client took for every connection: the operator's writes alone (Secret and
/// status), and end to end with the user's write first (the resource create, the annotation bump),
/// the whole pipeline the operator's figures are timed over.
/// </summary>
internal sealed record FloorResult(int Connections, int Concurrency, FloorPhase ProvisionPhase, FloorPhase RotatePhase, FloorPhase ProvisionEndToEndPhase, FloorPhase RotateEndToEndPhase)
{
    public TimeSpan Provision => ProvisionPhase.Elapsed;

    public TimeSpan Rotate => RotatePhase.Elapsed;

    public TimeSpan ProvisionEndToEnd => ProvisionEndToEndPhase.Elapsed;

    public TimeSpan RotateEndToEnd => RotateEndToEndPhase.Elapsed;

    public double ProvisionRate => Connections / Provision.TotalSeconds;

    public double RotateRate => Connections / Rotate.TotalSeconds;

    public double ProvisionEndToEndRate => Connections / ProvisionEndToEnd.TotalSeconds;

    public double RotateEndToEndRate => Connections / RotateEndToEnd.TotalSeconds;
}
