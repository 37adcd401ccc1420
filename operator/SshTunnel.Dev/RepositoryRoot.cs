namespace SshTunnel.Dev;

/// <summary>Finds the checkout the operator runs from: the folder that holds Operator.sln.</summary>
public static class RepositoryRoot
{
    public const string SolutionFile = "Operator.sln";

    /// <summary>Walks up from the current directory, then from the assembly's folder; null when neither is inside a checkout.</summary>
    public static string? Find() =>
        FindFrom(Directory.GetCurrentDirectory()) ?? FindFrom(AppContext.BaseDirectory);

    public static string? FindFrom(string start)
    {
        for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, SolutionFile)))
            {
                return folder.FullName;
            }
        }

        return null;
    }
}
