namespace SshTunnel.Chart.Tests.Templates;

/// <summary>The release the template tests render and the rules the operator's code needs.</summary>
public static class ChartValues
{
    public const string ReleaseNamespace = "ops";
    public const string FullName = "tunnels-ssh-tunnel-operator";

    /// <summary>Namespaced mode: two watched namespaces, two replicas, no metrics Service, a PodDisruptionBudget.</summary>
    public static readonly string[] Namespaced =
    [
        "watchNamespaces={team-a,team-b}",
        "replicaCount=2",
        "metrics.enabled=false",
        "podDisruptionBudget.enabled=true",
        "operator.workers=3",
        "operator.probeConcurrency=2",
        "operator.resyncPeriod=5m",
        "operator.revalidateInterval=1h",
        "operator.apiTimeout=5s",
        "healthPort=9090",
    ];
}
