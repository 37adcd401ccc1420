using SshTunnel.Testing.Processes;

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

    public string Run(params string[] arguments) =>
        ProcessRunner.Run("ssh-keygen", arguments).Succeeded().Output.Trim();

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
