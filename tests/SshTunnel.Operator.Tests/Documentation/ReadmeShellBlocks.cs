using SshTunnel.Testing.Repository;

namespace SshTunnel.Operator.Tests.Documentation;

/// <summary>The <c>```sh</c> blocks of the top README that follow a marker line, as the README shows them.</summary>
internal static class ReadmeShellBlocks
{
    /// <summary>The first <paramref name="count"/> shell blocks after the line that contains <paramref name="marker"/>.</summary>
    public static IReadOnlyList<string> After(string marker, int count)
    {
        var lines = File.ReadAllLines(RepositoryPaths.PathOf("README.md"));
        var start = Array.FindIndex(lines, line => line.Contains(marker, StringComparison.Ordinal));
        Assert.True(start >= 0, $"README.md has no line with \"{marker}\"");

        var blocks = new List<string>();
        List<string>? block = null;
        foreach (var line in lines.Skip(start + 1))
        {
            if (block is null && line == "```sh")
            {
                block = [];
            }
            else if (block is not null && line == "```")
            {
                blocks.Add(string.Join('\n', block) + "\n");
                block = null;
                if (blocks.Count == count)
                {
                    return blocks;
                }
            }
            else
            {
                block?.Add(line);
            }
        }

        throw new InvalidOperationException($"README.md has {blocks.Count} shell blocks after \"{marker}\", not {count}");
    }
}
