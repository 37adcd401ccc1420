using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Kube.Emulator;
using Polly;
using Kube.Controller.Api;
using SshTunnel.Testing.Kubernetes;

namespace Kube.Controller.Tests.Api;

/// <summary>The API pipeline against faults the emulator injects.</summary>
public sealed class ApiPipelineTests : IAsyncLifetime
{
    private const string Namespace = "default";
    private EmulatedCluster cluster = null!;
    private ResiliencePipeline pipeline = null!;

    public async Task InitializeAsync()
    {
        cluster = await EmulatedCluster.StartAsync(withCrds: false);
        pipeline = ApiPipeline.Create(
            new ApiRetryOptions { Backoff = new(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(20)), MaxRetryAttempts = 4 },
            TimeProvider.System);
        await cluster.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { ApiVersion = "v1", Kind = "Secret", Metadata = new V1ObjectMeta { Name = "s" } }, Namespace);
        cluster.Control.RecordRequests = true;
    }

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    private static bool SecretRead(RequestInfo request) => request.Resource == "secrets" && request.Verb == "get";

    private int Reads() => cluster.Control.RecordedRequests.Count(SecretRead);

    private Task<V1Secret> Read(string name = "s") =>
        pipeline.ExecuteAsync(async token => await cluster.Client.CoreV1.ReadNamespacedSecretAsync(name, Namespace, cancellationToken: token)).AsTask();

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    public async Task Server_errors_are_retried(int status)
    {
        cluster.Control.FailNext(2, SecretRead, new EmulatorFault.ServerError(status));

        var secret = await Read();

        Assert.Equal("s", secret.Metadata.Name);
        Assert.Equal(3, Reads());
    }

    [Fact]
    public async Task Throttling_is_retried_after_the_servers_retry_after()
    {
        cluster.Control.FailNext(1, SecretRead, new EmulatorFault.TooManyRequests(TimeSpan.FromSeconds(1)));

        var secret = await Read();

        Assert.Equal("s", secret.Metadata.Name);
        Assert.Equal(2, Reads());
        Assert.Equal(TimeSpan.FromSeconds(1), ApiErrors.RetryAfter(await CaptureThrottle()));
    }

    private async Task<Exception> CaptureThrottle()
    {
        cluster.Control.FailNext(1, SecretRead, new EmulatorFault.TooManyRequests(TimeSpan.FromSeconds(1)));
        return await Assert.ThrowsAsync<HttpOperationException>(() => cluster.Client.CoreV1.ReadNamespacedSecretAsync("s", Namespace));
    }

    [Fact]
    public async Task A_conflict_is_not_retried()
    {
        cluster.Control.FailNext(1, SecretRead, new EmulatorFault.Conflict());

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => Read());

        Assert.Equal(HttpStatusCode.Conflict, error.Response.StatusCode);
        Assert.Equal(1, Reads());
    }

    [Fact]
    public async Task Not_found_is_not_retried()
    {
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => Read("missing"));

        Assert.Equal(HttpStatusCode.NotFound, error.Response.StatusCode);
        Assert.Equal(1, Reads());
    }

    [Fact]
    public async Task Retries_stop_after_the_last_attempt()
    {
        cluster.Control.FailNext(10, SecretRead, new EmulatorFault.ServerError(500));

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => Read());

        Assert.Equal(HttpStatusCode.InternalServerError, error.Response.StatusCode);
        Assert.Equal(5, Reads());
    }
}
