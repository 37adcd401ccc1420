using System.Globalization;
using System.Runtime.InteropServices;

namespace SshTunnel.Forwarder.Secrets;

/// <summary>
/// A Secret laid out and updated in a folder the way the kubelet's atomic writer does it (the
/// layout <see cref="MountedSecretReader"/> reads), for where no kubelet mounts it: dev mode and
/// tests. The forwarder sees a rotation as in a pod: the files live in a timestamped folder, <c>..data</c>
/// links to it and each key at the top links through <c>..data</c>. An update writes a new
/// folder, points a new <c>..data_tmp</c> link at it, renames that over <c>..data</c> (atomic)
/// and removes the old folder. Files are readable by the owner only, like mode 0400.
/// </summary>
public sealed partial class KubeletSecretFolder(TimeProvider timeProvider) : IDisposable
{
    private const UnixFileMode OwnerRead = UnixFileMode.UserRead;
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("sshtunnel-dev-secret-");
    private string? currentFolder;
    private int writes;

    public string Path => directory.FullName;

    /// <summary>Publishes a new version of the Secret's data.</summary>
    public void Write(IReadOnlyDictionary<string, byte[]> data)
    {
        writes++;
        var folderName = ".." + timeProvider.GetUtcNow().ToString("yyyy_MM_dd_HH_mm_ss", CultureInfo.InvariantCulture)
            + "." + writes.ToString("D9", CultureInfo.InvariantCulture);
        var folder = System.IO.Path.Combine(Path, folderName);
        Directory.CreateDirectory(folder);
        foreach (var (name, value) in data)
        {
            var file = System.IO.Path.Combine(folder, name);
            File.WriteAllBytes(file, value);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(file, OwnerRead);
            }
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
            if (new FileInfo(link).LinkTarget is null)
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

    public void Dispose() => directory.Delete(recursive: true);

    [DllImport("libc", EntryPoint = "rename", SetLastError = true)]
    private static extern int Rename(string oldPath, string newPath);
}
