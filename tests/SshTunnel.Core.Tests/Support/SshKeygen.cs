using System.Diagnostics;

namespace SshTunnel.Core.Tests.Support;

/// <summary>Runs the real <c>ssh-keygen</c> on key files written to a private temporary folder.</summary>
internal sealed class SshKeygen : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("core-keys-").FullName;

    public string Write(string name, string content)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("ssh-keygen checks run on Unix, where key files need mode 0600.");
        }

        var path = Path.Combine(folder, name);
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        using (var writer = new StreamWriter(path, options))
        {
            writer.Write(content);
        }

        return path;
    }

    public string PathOf(string name) => Path.Combine(folder, name);

    public string Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("ssh-keygen")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(30_000), "ssh-keygen did not finish");
        Assert.True(process.ExitCode == 0, $"ssh-keygen {string.Join(' ', arguments)} failed: {error.Result}");
        return output.Result.Trim();
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
