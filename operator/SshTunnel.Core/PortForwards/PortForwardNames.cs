using SshTunnel.Core.Model;

namespace SshTunnel.Core.PortForwards;

/// <summary>The names of the <c>SshPortForward</c> API and of the objects the operator runs for it.</summary>
public static class PortForwardNames
{
    public const string Kind = "SshPortForward";
    public const string Plural = "sshportforwards";

    /// <summary>The label that names the SshPortForward on its Deployment, Service and pods.</summary>
    public const string PortForwardLabel = ResourceNames.Group + "/port-forward";

    /// <summary>The <c>app.kubernetes.io/name</c> of the forwarder pods.</summary>
    public const string AppName = "ssh-tunnel-forwarder";

    /// <summary>The label selector the operator watches its Deployments and Services through.</summary>
    public const string ManagedBySelector = "app.kubernetes.io/managed-by=" + ResourceNames.Manager + "," + PortForwardLabel;

    /// <summary>The Deployment of SshPortForward <paramref name="name"/>: <c>&lt;name&gt;-forward</c>.</summary>
    public static string DeploymentName(string name) => name + "-forward";

    /// <summary>The Service of SshPortForward <paramref name="name"/>: the same name.</summary>
    public static string ServiceName(string name) => name;

    /// <summary>The labels that select the forwarder pods of <paramref name="name"/>.</summary>
    public static IReadOnlyDictionary<string, string> SelectorLabels(string name) => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["app.kubernetes.io/name"] = AppName,
        [PortForwardLabel] = name,
    };

    /// <summary>The selector of the forwarder pods in string form, as <c>status.selector</c> publishes it.</summary>
    public static string Selector(string name) => string.Join(",", SelectorLabels(name).Select(label => label.Key + "=" + label.Value));

    /// <summary>The labels of the Deployment, the Service and the pods.</summary>
    public static IReadOnlyDictionary<string, string> Labels(string name) => new SortedDictionary<string, string>(SelectorLabels(name).ToDictionary(), StringComparer.Ordinal)
    {
        ["app.kubernetes.io/instance"] = name,
        ["app.kubernetes.io/component"] = "forwarder",
        ["app.kubernetes.io/managed-by"] = ResourceNames.Manager,
    };
}
