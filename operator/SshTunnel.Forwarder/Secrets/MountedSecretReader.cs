using SshTunnel.Core.Secrets;

namespace SshTunnel.Forwarder.Secrets;

/// <summary>
/// Reads the key Secret from its mount. The kubelet keeps the files in a timestamped folder
/// that the <c>..data</c> link points to, and replaces the link atomically on an update; the
/// files at the top are links through <c>..data</c>. Reading every file through the folder
/// <c>..data</c> resolved to once gives one consistent version, never a mix of two. A plain
/// folder (no <c>..data</c>) is read as it is.
/// </summary>
public sealed class MountedSecretReader(string directory)
{
    private const string DataLink = "..data";

    private static readonly string[] FileNames =
    [
        KeySecretLayout.Host, KeySecretLayout.Port, KeySecretLayout.User,
        KeySecretLayout.PrivateKey1, KeySecretLayout.PrivateKey2, KeySecretLayout.KnownHosts,
    ];

    /// <summary>The kubelet's current data folder name, or empty for a plain folder.</summary>
    public string CurrentVersion() =>
        new FileInfo(Path.Combine(directory, DataLink)).LinkTarget is { } target ? Path.GetFileName(target.TrimEnd('/')) : "";

    /// <summary>Reads one consistent version; throws <see cref="InvalidDataException"/> or <see cref="IOException"/> saying what is wrong.</summary>
    public MountedSecret Read()
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"the Secret folder {directory} does not exist; mount the connection's key Secret there");
        }

        var version = CurrentVersion();
        var folder = version.Length > 0 ? Path.Combine(directory, version) : directory;
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in FileNames)
        {
            var path = Path.Combine(folder, name);
            if (File.Exists(path))
            {
                files[name] = File.ReadAllText(path);
            }
        }

        return MountedSecretParser.Parse(files, version);
    }
}
