using System.Globalization;

namespace SshTunnel.Operator.Observability;

/// <summary>
/// Counts the requests KubernetesClient sends as client-go's <c>rest_client_requests_total</c>
/// does: by status code (<c>&lt;error&gt;</c> when no answer came), method and API server host.
/// </summary>
public sealed class RestClientMetricsHandler(OperatorMetrics metrics) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var host = request.RequestUri?.Authority ?? "";
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            metrics.RestClientRequests.WithLabels(((int)response.StatusCode).ToString(CultureInfo.InvariantCulture), request.Method.Method, host).Inc();
            return response;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            metrics.RestClientRequests.WithLabels("<error>", request.Method.Method, host).Inc();
            throw;
        }
    }
}
