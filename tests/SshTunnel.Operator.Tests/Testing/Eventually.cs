namespace SshTunnel.Operator.Tests.Testing;

/// <summary>Polls a condition until it holds; the timeout only stops a hung test.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        T last = default!;
        while (!cts.IsCancellationRequested)
        {
            last = await probe();
            if (done(last))
            {
                return last;
            }

            await Task.Delay(25, CancellationToken.None);
        }

        throw new TimeoutException($"Timed out waiting for {what}; last value: {last}");
    }

    public static Task Until(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        Until(() => Task.FromResult(condition()), ok => ok, what, timeout);
}
