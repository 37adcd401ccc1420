namespace SshTunnel.Chart.Tests.Infrastructure;

/// <summary>Paths in the checkout the tests run from: the folder that holds Operator.sln.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Chart => Path.Combine(Root, "charts", "ssh-tunnel-operator");

    public static string CrdFile => Path.Combine(Root, "crds", "sshtunnelconnections.yaml");

    public static string ChartCrdCopy => Path.Combine(Chart, "files", "sshtunnelconnections.yaml");

    public static string ArgoCd => Path.Combine(Chart, "argocd");

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
