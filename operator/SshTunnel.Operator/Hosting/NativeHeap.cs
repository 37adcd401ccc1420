using System.Runtime.InteropServices;

namespace SshTunnel.Operator.Hosting;

/// <summary>
/// Returns the C heap's free pages to the OS (glibc's <c>malloc_trim</c>). The JIT, the runtime
/// and OpenSSL allocate and free native memory through it, and glibc keeps what they freed
/// mapped in its arenas; after a burst that is several MiB of resident memory nobody uses.
/// Where the C library has no <c>malloc_trim</c> (musl, or not Linux) it does nothing.
/// </summary>
internal static class NativeHeap
{
    private static volatile bool unavailable = !OperatingSystem.IsLinux();

    /// <summary>Trims every arena; true when glibc gave memory back.</summary>
    public static bool Trim()
    {
        if (unavailable)
        {
            return false;
        }

        try
        {
            return MallocTrim(0) != 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            unavailable = true;
            return false;
        }
    }

    // DllImport: the signature is blittable, so there is nothing for LibraryImport to generate,
    // and it would require unsafe code in the project.
    [DllImport("libc.so.6", EntryPoint = "malloc_trim", ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int MallocTrim(nuint pad);
}
