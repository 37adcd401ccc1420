using System.Globalization;

namespace SshTunnel.Benchmarks.OperatorHost;

/// <summary>A process's resident set now (VmRSS) and at its peak (VmHWM), read from /proc/PID/status.</summary>
internal sealed record ProcessMemory(long RssBytes, long PeakRssBytes)
{
    public double RssMiB => RssBytes / 1024d / 1024d;

    public double PeakRssMiB => PeakRssBytes / 1024d / 1024d;

    public static ProcessMemory Read(int pid)
    {
        long rss = 0, peak = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kilobytes(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kilobytes(line);
            }
        }

        return new ProcessMemory(rss * 1024, peak * 1024);
    }

    private static long Kilobytes(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], NumberStyles.Integer, CultureInfo.InvariantCulture);
}
