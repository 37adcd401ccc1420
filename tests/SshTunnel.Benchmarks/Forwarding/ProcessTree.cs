using System.Globalization;
using SshTunnel.Benchmarks.OperatorHost;

namespace SshTunnel.Benchmarks.Forwarding;

/// <summary>A process and everything it started, read from /proc: sshd forks two processes per session.</summary>
internal static class ProcessTree
{
    /// <summary>CPU time used so far by the descendants of <paramref name="rootPid"/> (not the root itself).</summary>
    public static TimeSpan DescendantsCpu(int rootPid) =>
        Descendants(rootPid).Aggregate(TimeSpan.Zero, (total, pid) => total + CpuSample.ProcessCpu(pid));

    /// <summary>The largest resident set among the descendants of <paramref name="rootPid"/>, in MiB.</summary>
    public static double LargestDescendantRssMiB(int rootPid) =>
        Descendants(rootPid).Select(pid =>
        {
            try
            {
                return ProcessMemory.Read(pid).RssMiB;
            }
            catch (IOException)
            {
                return 0;
            }
        }).DefaultIfEmpty(0).Max();

    private static List<int> Descendants(int rootPid)
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
