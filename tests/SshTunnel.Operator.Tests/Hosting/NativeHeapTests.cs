using System.Runtime.InteropServices;
using SshTunnel.Operator.Hosting;

namespace SshTunnel.Operator.Tests.Hosting;

/// <summary>The C heap trim binds to this machine's glibc and gives freed memory back.</summary>
public sealed class NativeHeapTests
{
    [Fact]
    public void Freed_native_memory_is_given_back()
    {
        // Small blocks come from the arenas (large ones are mapped and unmapped on their own):
        // 64 MiB of them, freed, leave free pages for the trim to return.
        var blocks = new IntPtr[64 * 1024];
        for (var index = 0; index < blocks.Length; index++)
        {
            blocks[index] = Marshal.AllocHGlobal(1024);
        }

        foreach (var block in blocks)
        {
            Marshal.FreeHGlobal(block);
        }

        Assert.True(NativeHeap.Trim());
    }
}
