namespace SshTunnel.Benchmarks.OperatorHost;

/// <summary>
/// The runtime settings the operator's image sets (its Dockerfile's <c>ENV DOTNET_...</c> lines),
/// so the harness measures the operator as it ships: some GC settings exist only as environment
/// variables, not in the runtimeconfig the build writes.
/// </summary>
internal static class OperatorImage
{
    public static Dictionary<string, string> RuntimeEnvironment(string dockerfile)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(dockerfile))
        {
            var text = line.Trim();
            if (!text.StartsWith("ENV ", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var assignment in text["ENV ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var pair = assignment.Split('=', 2);
                if (pair.Length == 2 && pair[0].StartsWith("DOTNET_", StringComparison.Ordinal))
                {
                    environment[pair[0]] = pair[1];
                }
            }
        }

        return environment;
    }
}
