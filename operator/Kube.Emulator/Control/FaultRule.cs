namespace Kube.Emulator;

/// <summary>A fault armed for the next requests that match.</summary>
internal sealed class FaultRule(int count, Func<RequestInfo, bool> match, EmulatorFault fault)
{
    private int remaining = count;

    public EmulatorFault Fault { get; } = fault;

    public bool Exhausted => Volatile.Read(ref remaining) <= 0;

    public bool TryTake(RequestInfo request)
    {
        if (Exhausted || (Fault is EmulatorFault.CommitThenFail && !request.IsWrite) || !match(request))
        {
            return false;
        }

        return Interlocked.Decrement(ref remaining) >= 0;
    }
}
