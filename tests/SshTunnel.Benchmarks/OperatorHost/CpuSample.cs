using System.Diagnostics;
using System.Globalization;

namespace SshTunnel.Benchmarks.OperatorHost;

/// <summary>
/// CPU time used so far by the operator process, by this process (the harness and the emulator),
/// and by the whole machine (from /proc/stat, so other work on a shared machine shows up), with the wall clock.
/// </summary>
internal sealed record CpuSample(TimeSpan Operator, TimeSpan Harness, TimeSpan MachineBusy, long Timestamp)
{
    /// <summary>Linux reports process and machine CPU time in clock ticks of 1/100 s.</summary>
    private const double TicksPerSecond = 100;

    public static CpuSample Take(int operatorPid) => new(
        ProcessCpu(operatorPid),
        Process.GetCurrentProcess().TotalProcessorTime,
        MachineBusyTime(),
        Stopwatch.GetTimestamp());

    /// <summary>What was used between <paramref name="start"/> and this sample, as text.</summary>
    public string Since(CpuSample start)
    {
        var wall = Stopwatch.GetElapsedTime(start.Timestamp, Timestamp).TotalSeconds;
        var operatorCpu = (Operator - start.Operator).TotalSeconds;
        var harness = (Harness - start.Harness).TotalSeconds;
        var others = Math.Max(0, (MachineBusy - start.MachineBusy).TotalSeconds - operatorCpu - harness);
        return FormattableString.Invariant(
            $"over {wall:0.00} s wall ({Environment.ProcessorCount * wall:0.00} CPU-s available): operator {operatorCpu:0.00} CPU-s, harness + emulator {harness:0.00}, rest of the machine {others:0.00}");
    }

    /// <summary>CPU-seconds this process (the harness and the emulator) used between <paramref name="start"/> and this sample.</summary>
    public double HarnessSecondsSince(CpuSample start) => (Harness - start.Harness).TotalSeconds;

    /// <summary>CPU-seconds the operator process used between <paramref name="start"/> and this sample.</summary>
    public double OperatorSecondsSince(CpuSample start) => (Operator - start.Operator).TotalSeconds;

    /// <summary>User plus system CPU time of one process; zero once it is gone.</summary>
    internal static TimeSpan ProcessCpu(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // Fields 14 and 15 of /proc/PID/stat (utime, stime); the split starts at field 3.
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / TicksPerSecond);
        }
        catch (IOException)
        {
            return TimeSpan.Zero;
        }
    }

    /// <summary>User plus system CPU time of the children that <paramref name="pid"/> has waited for (cutime, cstime): what its exited processes used.</summary>
    internal static TimeSpan ChildrenCpu(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // Fields 16 and 17 of /proc/PID/stat; the split starts at field 3.
        var ticks = long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    private static TimeSpan MachineBusyTime()
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(value => long.Parse(value, CultureInfo.InvariantCulture)).ToArray();
        // user nice system idle iowait irq softirq steal: everything but idle and iowait is busy.
        var busy = cpu.Take(8).Sum() - cpu[3] - cpu[4];
        return TimeSpan.FromSeconds(busy / TicksPerSecond);
    }
}
