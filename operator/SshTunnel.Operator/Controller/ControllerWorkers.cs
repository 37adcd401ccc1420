using Microsoft.Extensions.Logging;
using Prometheus;
using SshTunnel.Operator.Observability;

namespace SshTunnel.Operator.Controller;

/// <summary>
/// Runs N workers that take keys from the queue and reconcile them. The queue guarantees no
/// two workers hold one key; a failure backs the key off, a success resets its backoff.
/// </summary>
public sealed class ControllerWorkers(WorkQueue<ObjectKey> queue, IReconciler reconciler, ILogger logger)
{
    public Task RunAsync(int workers, CancellationToken cancellationToken) =>
        Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(() => WorkAsync(cancellationToken), cancellationToken)));

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

            using var timer = OperatorMetrics.ReconcileDuration.NewTimer();
            try
            {
                var result = await reconciler.ReconcileAsync(key, cancellationToken).ConfigureAwait(false);
                OperatorMetrics.Reconciles.WithLabels("success").Inc();
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
                OperatorMetrics.Reconciles.WithLabels("error").Inc();
                logger.LogWarning(e, "Reconcile of {Key} failed; retrying with backoff", key.ToString());
                queue.AddRateLimited(key);
            }
            finally
            {
                queue.Done(key);
            }
        }
    }
}
