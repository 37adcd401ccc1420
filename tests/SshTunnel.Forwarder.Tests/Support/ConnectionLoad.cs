using System.Collections.Concurrent;
using SshTunnel.Testing.Polling;

namespace SshTunnel.Forwarder.Tests.Support;

/// <summary>
/// A steady load through the forwarder: one loop opens a new connection after another, another
/// keeps the long-lived connections talking, until stopped. Every failure is kept with its reason.
/// </summary>
public sealed class ConnectionLoad : IDisposable
{
    private readonly CancellationTokenSource stopping = new();
    private readonly ConcurrentQueue<string> failures = new();
    private readonly Task[] loops;
    private int attempts;
    private int rounds;

    public ConnectionLoad(int port, IReadOnlyList<EchoConnection> longLived)
    {
        loops = [NewConnectionsAsync(port), NewConnectionsAsync(port), LongLivedAsync(longLived)];
    }

    /// <summary>New connections tried so far.</summary>
    public int Attempts => Volatile.Read(ref attempts);

    /// <summary>Waits until every loop has done more rounds, so each phase of a test is under load.</summary>
    public async Task WaitForMoreRoundsAsync()
    {
        var target = Volatile.Read(ref rounds) + 3 * loops.Length;
        await Eventually.Until(() => Volatile.Read(ref rounds) >= target || loops.Any(loop => loop.IsCompleted), "more rounds of load");
    }

    /// <summary>Stops the load and returns every failure.</summary>
    public async Task<IReadOnlyList<string>> StopAsync()
    {
        await stopping.CancelAsync();
        await Task.WhenAll(loops);
        return [.. failures];
    }

    public void Dispose() => stopping.Dispose();

    private async Task NewConnectionsAsync(int port)
    {
        while (!stopping.IsCancellationRequested)
        {
            Interlocked.Increment(ref attempts);
            if (await EchoConnection.OnceAsync(port) is { } failure)
            {
                failures.Enqueue($"new connection: {failure}");
            }

            Interlocked.Increment(ref rounds);
        }
    }

    private async Task LongLivedAsync(IReadOnlyList<EchoConnection> connections)
    {
        while (!stopping.IsCancellationRequested)
        {
            for (var i = 0; i < connections.Count; i++)
            {
                if (await connections[i].RoundTripAsync() is { } failure)
                {
                    failures.Enqueue($"long-lived connection {i}: {failure}");
                    return;
                }
            }

            Interlocked.Increment(ref rounds);
        }
    }
}
