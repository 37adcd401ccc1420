using System.Globalization;
using SshTunnel.Benchmarks.OperatorHost;

namespace SshTunnel.Benchmarks.Forwarding;

/// <summary>A process and everything it started, read from /proc: sshd forks two processes per session.</summary>
internal static class ProcessTree
{
    /// <summary>
    /// The descendants of <paramref name="rootPid"/> that started nothing themselves, oldest first:
    /// for sshd, one per session (the unprivileged process that moves the session's data).
    /// </summary>
    public static IReadOnlyList<int> LeavesByAge(int rootPid)
    {
        var tree = Parents();
        var descendants = Descendants(rootPid, tree);
        return [.. descendants.Where(pid => !tree.ContainsValue(pid)).OrderBy(StartTicks)];
    }

    /// <summary>CPU time used so far by the descendants of <paramref name="rootPid"/> (not the root itself).</summary>
    public static TimeSpan DescendantsCpu(int rootPid) =>
        Descendants(rootPid, Parents()).Aggregate(TimeSpan.Zero, (total, pid) => total + CpuSample.ProcessCpu(pid));

    private static long StartTicks(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Field 22 (start time); the split starts at field 3.
        return long.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[19], CultureInfo.InvariantCulture);
    }

    private static Dictionary<int, int> Parents()
    {
        var parents = new Dictionary<int, int>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(folder, "stat"));
                // Field 4 (the parent) follows the state after the command's closing parenthesis.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // Gone while listing.
            }
        }

        return parents;
    }

    private static List<int> Descendants(int rootPid, Dictionary<int, int> parents)
    {
        var found = new List<int>();
        var frontier = new Queue<int>([rootPid]);
        while (frontier.TryDequeue(out var parent))
        {
            foreach (var (pid, _) in parents.Where(pair => pair.Value == parent))
            {
                found.Add(pid);
                frontier.Enqueue(pid);
            }
        }

        return found;
    }
}
