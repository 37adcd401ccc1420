using System.Globalization;

namespace SshTunnel.Benchmarks.OperatorHost;

/// <summary>A process's resident set now (VmRSS), at its peak (VmHWM), and split into anonymous memory, mapped files and shared memory (the runtime's double-mapped code), read from /proc/PID/status.</summary>
internal sealed record ProcessMemory(long RssBytes, long PeakRssBytes, long AnonymousBytes, long FileBytes, long SharedBytes)
{
    public double RssMiB => RssBytes / 1024d / 1024d;

    public double PeakRssMiB => PeakRssBytes / 1024d / 1024d;

    public string Split => FormattableString.Invariant($"anonymous {AnonymousBytes / 1024d / 1024d:0.0} MiB, files {FileBytes / 1024d / 1024d:0.0} MiB, shared {SharedBytes / 1024d / 1024d:0.0} MiB");

    public static ProcessMemory Read(int pid)
    {
        long rss = 0, peak = 0, anonymous = 0, file = 0, shared = 0;
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
            else if (line.StartsWith("RssAnon:", StringComparison.Ordinal))
            {
                anonymous = Kilobytes(line);
            }
            else if (line.StartsWith("RssFile:", StringComparison.Ordinal))
            {
                file = Kilobytes(line);
            }
            else if (line.StartsWith("RssShmem:", StringComparison.Ordinal))
            {
                shared = Kilobytes(line);
            }
        }

        return new ProcessMemory(rss * 1024, peak * 1024, anonymous * 1024, file * 1024, shared * 1024);
    }

    private static long Kilobytes(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], NumberStyles.Integer, CultureInfo.InvariantCulture);
}
