namespace SshTunnel.Testing.Repository;

/// <summary>Paths in the checkout the tests run from: the folder that holds Operator.sln.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The CRDs a cluster is given before the operator starts (crds/).</summary>
    public static string Crds => Path.Combine(Root, "crds");

    public static string CrdFile => Path.Combine(Crds, "sshtunnelconnections.yaml");

    /// <summary>The SshPortForward CRD.</summary>
    public static string PortForwardCrdFile => Path.Combine(Crds, "sshportforwards.yaml");

    /// <summary>The example manifests that users copy (crds/examples/).</summary>
    public static string CrdExamples => Path.Combine(Crds, "examples");

    public static string Chart => Path.Combine(Root, "charts", "ssh-tunnel-operator");

    public static string ArgoCd => Path.Combine(Chart, "argocd");

    /// <summary>A path given relative to the repository's root.</summary>
    public static string PathOf(string relative) => Path.Combine(Root, relative);

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Operator.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("The tests must run inside the repository: no Operator.sln above " + AppContext.BaseDirectory);
    }
}
