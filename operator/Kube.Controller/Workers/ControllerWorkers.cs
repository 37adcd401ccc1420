using Kube.Controller.Metrics;
using Kube.Controller.Queue;
using Microsoft.Extensions.Logging;

namespace Kube.Controller.Workers;

/// <summary>
/// Runs N workers that take keys from the queue and reconcile them. The queue guarantees no
/// two workers hold one key; a failure backs the key off, a success resets its backoff.
/// </summary>
public sealed class ControllerWorkers(WorkQueue<ObjectKey> queue, IReconciler reconciler, IControllerMetrics metrics, TimeProvider timeProvider, ILogger logger)
{
    private int active;

    public Task RunAsync(int workers, CancellationToken cancellationToken)
    {
        metrics.WorkersStarted(workers);
        return Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(() => WorkAsync(cancellationToken), cancellationToken)));
    }

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            // A converged reconcile and a ready queue complete synchronously, so without a yield
            // each worker keeps its pool thread through a whole backlog (10,000 keys after a
            // restart) and the health server's /readyz, the watches and the event writer wait.
            await Task.Yield();
            ObjectKey key;
            try
            {
                var (taken, next) = await queue.TakeAsync(cancellationToken).ConfigureAwait(false);
                if (!taken)
                {
                    return;
                }

                key = next;
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var started = timeProvider.GetTimestamp();
            using var scope = logger.BeginScope(new ReconcileScope(key));
            metrics.WorkersActive(Interlocked.Increment(ref active));
            try
            {
                var result = await reconciler.ReconcileAsync(key, cancellationToken).ConfigureAwait(false);
                metrics.ReconcileFinished(true, timeProvider.GetElapsedTime(started));
                queue.Forget(key);
                if (result.RequeueAfter is { } delay)
                {
                    queue.AddAfter(key, delay);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                metrics.ReconcileFinished(false, timeProvider.GetElapsedTime(started));
                logger.LogWarning(e, "Reconcile failed; retrying with backoff");
                queue.AddRateLimited(key);
            }
            finally
            {
                metrics.WorkersActive(Interlocked.Decrement(ref active));
                queue.Done(key);
            }
        }
    }
}
