using System.Globalization;
using System.Runtime.InteropServices;
using SshTunnel.Core.Secrets;

namespace SshTunnel.Forwarder.Tests.Support;

/// <summary>
/// A Secret volume laid out and updated exactly as the kubelet's atomic writer does it: the
/// files live in a timestamped folder <c>..2026_12_02_14_00_00.000000001</c>, <c>..data</c> links
/// to it, and each file at the top links through <c>..data</c>. An update writes a new folder,
/// points a new <c>..data_tmp</c> link at it, renames that over <c>..data</c> (atomic), then
/// removes the old folder.
/// </summary>
public sealed partial class KubeletSecretVolume : IDisposable
{
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("secret-volume-");
    private int generation;
    private string? currentFolder;

    public string Path => directory.FullName;

    /// <summary>Publishes a new version of the Secret's data.</summary>
    public void Write(IReadOnlyDictionary<string, string> data)
    {
        generation++;
        var folderName = string.Create(CultureInfo.InvariantCulture, $"..2026_12_02_14_00_00.{generation:D9}");
        var folder = System.IO.Path.Combine(Path, folderName);
        Directory.CreateDirectory(folder);
        foreach (var (name, value) in data)
        {
            File.WriteAllText(System.IO.Path.Combine(folder, name), value);
        }

        var temporary = System.IO.Path.Combine(Path, "..data_tmp");
        File.CreateSymbolicLink(temporary, folderName);
        // rename(2), as the kubelet's os.Rename: File.Move refuses a link that points at a folder.
        if (Rename(temporary, System.IO.Path.Combine(Path, "..data")) != 0)
        {
            throw new IOException($"rename of ..data_tmp over ..data failed with errno {Marshal.GetLastPInvokeError()}");
        }
        foreach (var name in data.Keys)
        {
            var link = System.IO.Path.Combine(Path, name);
            if (!File.Exists(link) && new FileInfo(link).LinkTarget is null)
            {
                File.CreateSymbolicLink(link, System.IO.Path.Combine("..data", name));
            }
        }

        if (currentFolder is not null)
        {
            Directory.Delete(currentFolder, recursive: true);
        }

        currentFolder = folder;
    }

    /// <summary>The key Secret's data, as the operator writes it, for a connection to <paramref name="user"/>@<paramref name="host"/>:<paramref name="port"/>.</summary>
    public static Dictionary<string, string> KeySecret(string host, int port, string user, string privateKey1, string? privateKey2, string? knownHosts)
    {
        var data = new Dictionary<string, string>
        {
            [KeySecretLayout.Host] = host,
            [KeySecretLayout.Port] = port.ToString(CultureInfo.InvariantCulture),
            [KeySecretLayout.User] = user,
            [KeySecretLayout.PrivateKey1] = privateKey1,
        };
        if (privateKey2 is not null)
        {
            data[KeySecretLayout.PrivateKey2] = privateKey2;
        }

        if (knownHosts is not null)
        {
            data[KeySecretLayout.KnownHosts] = knownHosts;
        }

        return data;
    }

    public void Dispose() => directory.Delete(recursive: true);

    [DllImport("libc", EntryPoint = "rename", SetLastError = true)]
    private static extern int Rename(string oldPath, string newPath);
}
