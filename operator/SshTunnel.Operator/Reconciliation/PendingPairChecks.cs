using System.Threading.Channels;
using k8s.Models;
using Kube.Controller;
using Kube.Controller.Caching;
using Kube.Controller.Idle;
using SshTunnel.Core.Keys;

namespace SshTunnel.Operator.Reconciliation;

/// <summary>
/// The key pairs the Secret cache holds unconfirmed, one <see cref="PendingPairCheck"/> per
/// Secret for the version the cache converted last. A new process converts every listed Secret
/// without deriving its public keys (<see cref="CacheCompaction.Secret"/>), so readiness does not
/// wait for 0.4 s of derivations per 10,000 Secrets. A decision that needs a Secret's pairs
/// confirmed runs that Secret's check at once (<see cref="Confirm"/>) instead of reading the
/// Secret from the API server; after ready, <see cref="RunAsync"/> runs whatever no decision
/// took, so no seed stays in memory longer than that. Busy for the idle signal while a check waits.
/// </summary>
public sealed class PendingPairChecks : IIdleParticipant
{
    private readonly Lock gate = new();
    private readonly Dictionary<ObjectKey, (string? ResourceVersion, PendingPairCheck Check)> pending = [];
    private readonly Channel<ObjectKey> deferred = Channel.CreateUnbounded<ObjectKey>(new UnboundedChannelOptions { SingleReader = true });
    private long activity;

    /// <summary>How many Secrets' checks wait.</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return pending.Count;
            }
        }
    }

    /// <inheritdoc/>
    public long Activity => Interlocked.Read(ref activity);

    /// <inheritdoc/>
    public string? Busy(DateTimeOffset now) => Count is var waiting and > 0 ? $"{waiting} key Secrets' pairs wait for their check" : null;

    /// <summary>Keeps <paramref name="check"/> for version <paramref name="resourceVersion"/> of the Secret <paramref name="key"/>, in place of any older one.</summary>
    public void Defer(ObjectKey key, string? resourceVersion, PendingPairCheck check)
    {
        ArgumentNullException.ThrowIfNull(check);
        lock (gate)
        {
            if (pending.Remove(key, out var replaced))
            {
                replaced.Check.Discard();
            }

            pending[key] = (resourceVersion, check);
            activity++;
        }

        deferred.Writer.TryWrite(key);
    }

    /// <summary>Drops the check of <paramref name="key"/>: the cache now holds a version whose pairs are confirmed, or none that can be.</summary>
    public void Forget(ObjectKey key) => ForgetUnless(key, resourceVersion: null);

    /// <summary>
    /// Confirms the pairs of <paramref name="view"/>, the version of a Secret that
    /// <paramref name="secrets"/> holds: runs the check kept for that very version and puts the
    /// confirmed view into the cache before dropping the check, so a decision that finds the
    /// check gone finds the confirmed view. Returns the confirmed view, or null when neither is
    /// there (another version, or a seed that gives another public key, which only the whole
    /// Secret, read and checked, can report).
    /// </summary>
    public KeySecretView? Confirm(KeySecretView view, Informer<V1Secret> secrets)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(secrets);
        var key = ObjectKey.Of(view);
        (string? ResourceVersion, PendingPairCheck Check) entry;
        lock (gate)
        {
            if (!pending.TryGetValue(key, out entry) || entry.ResourceVersion != view.Metadata.ResourceVersion)
            {
                return secrets.Get(key) is KeySecretView { Verdict.PairsConfirmed: true } cached && cached.Metadata.ResourceVersion == view.Metadata.ResourceVersion
                    ? cached
                    : null;
            }
        }

        // Outside the gate: a decision and the background run may confirm the same Secret at once, and both get its answer.
        KeySecretView? confirmed = null;
        if (entry.Check.Confirm())
        {
            confirmed = view with { Verdict = view.Verdict with { PairsConfirmed = true } };
            secrets.Refresh(confirmed);
        }

        lock (gate)
        {
            if (pending.TryGetValue(key, out var current) && current.Check == entry.Check)
            {
                pending.Remove(key);
                activity++;
            }
        }

        return confirmed;
    }

    /// <summary>
    /// Runs, until cancelled, the checks no decision took, as they are deferred, and puts the
    /// confirmed views into <paramref name="secrets"/>; the checks of Secrets gone or replaced
    /// meanwhile are dropped. Start it once the caches are filled: during the initial LIST it
    /// would compete with it for the CPU.
    /// </summary>
    public async Task RunAsync(Informer<V1Secret> secrets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        try
        {
            await foreach (var key in deferred.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                // 10,000 checks waiting after a restart would otherwise run on one pool thread without a break
                // (0.4 s of derivations), and what was queued on it meanwhile, /readyz's answer among it, would wait.
                await Task.Yield();
                var unconfirmed = secrets.Get(key) as KeySecretView is { Verdict.PairsConfirmed: false } view ? view : null;
                if (unconfirmed is null || Confirm(unconfirmed, secrets) is null)
                {
                    ForgetUnless(key, unconfirmed?.Metadata.ResourceVersion);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Drops the check of <paramref name="key"/> unless it is for <paramref name="resourceVersion"/>, an unconfirmed version the cache holds (null: drops it whatever its version).</summary>
    private void ForgetUnless(ObjectKey key, string? resourceVersion)
    {
        PendingPairCheck? dropped = null;
        lock (gate)
        {
            if (pending.TryGetValue(key, out var entry) && (resourceVersion is null || entry.ResourceVersion != resourceVersion))
            {
                pending.Remove(key);
                activity++;
                dropped = entry.Check;
            }
        }

        dropped?.Discard();
    }
}
