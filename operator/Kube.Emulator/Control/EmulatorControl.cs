using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Kube.Emulator.Authorization;
using Kube.Emulator.Discovery;

namespace Kube.Emulator;

/// <summary>Test controls of a running emulator: injected faults, watch and history control, write counters, request log.</summary>
public sealed class EmulatorControl
{
    private readonly ResourceRegistry registry;
    private readonly ConcurrentDictionary<string, StrongBox<long>> writeCounts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RequestInfo> recorded = new();
    private readonly ConcurrentQueue<RequestInfo> forbidden = new();
    private readonly Lock faultGate = new();
    private FaultRule[] faults = [];
    private TaskCompletionSource hangsReleased = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal EmulatorControl(ResourceRegistry registry)
    {
        this.registry = registry;
        Authenticator = new Authenticator(registry);
    }

    internal Authenticator Authenticator { get; }

    /// <summary>Whether requests are appended to <see cref="RecordedRequests"/>.</summary>
    public bool RecordRequests { get; set; }

    /// <summary>Requests received while <see cref="RecordRequests"/> was on, in arrival order.</summary>
    public IReadOnlyList<RequestInfo> RecordedRequests => [.. recorded];

    /// <summary>Requests RBAC refused with 403 (always kept), each with its user: empty when a ServiceAccount's roles allow all it did.</summary>
    public IReadOnlyList<RequestInfo> ForbiddenRequests => [.. forbidden];

    /// <summary>Write requests received per resource (with subresource, e.g. sshtunnelconnections/status).</summary>
    public IReadOnlyDictionary<string, long> WriteCounts =>
        writeCounts.ToDictionary(pair => pair.Key, pair => Interlocked.Read(ref pair.Value.Value), StringComparer.Ordinal);

    /// <summary>Fails the next <paramref name="count"/> requests matching <paramref name="match"/> with <paramref name="fault"/>.</summary>
    public void FailNext(int count, Func<RequestInfo, bool> match, EmulatorFault fault)
    {
        ArgumentNullException.ThrowIfNull(match);
        ArgumentNullException.ThrowIfNull(fault);
        lock (faultGate)
        {
            faults = [.. faults.Where(rule => !rule.Exhausted), new FaultRule(count, match, fault)];
        }
    }

    /// <summary>Disarms every fault, and lets the requests a hanging <see cref="EmulatorFault.Timeout"/> holds be served.</summary>
    public void ClearFaults()
    {
        TaskCompletionSource released;
        lock (faultGate)
        {
            faults = [];
            released = hangsReleased;
            hangsReleased = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        released.SetResult();
    }

    /// <summary>
    /// A bearer token that authenticates as the ServiceAccount (while it exists), so that its requests are authorized
    /// by the stored RBAC objects; requests without one are the kubeconfig's admin (system:masters).
    /// </summary>
    public string IssueToken(string namespaceName, string serviceAccount) => Authenticator.Issue(namespaceName, serviceAccount);

    /// <summary>Ends every open watch stream cleanly; clients then watch again.</summary>
    public void CloseAllWatches() => registry.CloseAllWatches();

    /// <summary>Forgets all watch history: a watch from an older resourceVersion gets 410 Expired.</summary>
    public void CompactHistory() => registry.CompactAll();

    /// <summary>Write requests (create, update, patch, delete) received for a resource such as "secrets" or "sshtunnelconnections/status".</summary>
    public long WriteCount(string resource) =>
        writeCounts.TryGetValue(resource, out var box) ? Interlocked.Read(ref box.Value) : 0;

    /// <summary>Sets every write counter back to zero and clears the request log and the forbidden requests.</summary>
    public void ResetCounters()
    {
        writeCounts.Clear();
        recorded.Clear();
        forbidden.Clear();
    }

    internal void ObserveForbidden(RequestInfo request) => forbidden.Enqueue(request);

    internal void Observe(RequestInfo request)
    {
        if (RecordRequests)
        {
            recorded.Enqueue(request);
        }

        if (request.IsWrite)
        {
            var box = writeCounts.GetOrAdd(request.ResourcePath, static _ => new StrongBox<long>());
            Interlocked.Increment(ref box.Value);
        }
    }

    /// <summary>
    /// The first armed fault that matches, and the task that the next <see cref="ClearFaults"/> completes. The task
    /// is taken before the faults are read, so a clear that comes after a fault was taken always releases its hang.
    /// </summary>
    internal EmulatorFault? TakeFault(RequestInfo request, out Task hangsReleasedTask)
    {
        lock (faultGate)
        {
            hangsReleasedTask = hangsReleased.Task;
        }

        var armed = Volatile.Read(ref faults);
        foreach (var rule in armed)
        {
            if (rule.TryTake(request))
            {
                return rule.Fault;
            }
        }

        return null;
    }
}
