using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace SshTunnel.Testing.Kubernetes;

/// <summary>
/// The standalone emulator's control endpoints (<c>--control</c>, under <c>/emulator/v1/</c>) over
/// plain HTTP, as a tool outside the emulator's process drives them: faults, watch closes,
/// compaction, write counts. Every answer that is not a success fails with its body.
/// </summary>
public sealed class EmulatorControlClient(Uri apiServer) : IDisposable
{
    private readonly HttpClient http = new() { BaseAddress = new Uri(apiServer, "/emulator/v1/"), Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Fails the next <paramref name="count"/> requests <paramref name="match"/> selects with <paramref name="fault"/> (the README's JSON shapes).</summary>
    public Task FailNextAsync(int count, JsonObject match, JsonObject fault) =>
        SendAsync(HttpMethod.Post, "faults", new JsonObject { ["count"] = count, ["match"] = match, ["fault"] = fault });

    /// <summary>Disarms every fault and serves the requests a hang holds.</summary>
    public Task ClearFaultsAsync() => SendAsync(HttpMethod.Delete, "faults");

    public Task CloseAllWatchesAsync() => SendAsync(HttpMethod.Post, "watches/close");

    /// <summary>A later watch or continue token from a resourceVersion older than now gets 410 Expired.</summary>
    public Task CompactHistoryAsync() => SendAsync(HttpMethod.Post, "history/compact");

    /// <summary>Writes per resource path (<c>secrets</c>, <c>sshtunnelconnections/status</c>) since the start or the last reset.</summary>
    public async Task<IReadOnlyDictionary<string, int>> WritesAsync()
    {
        using var response = await http.GetAsync("writes").ConfigureAwait(false);
        var body = await EnsureSuccessAsync(response).ConfigureAwait(false);
        return JsonNode.Parse(body)!.AsObject().ToDictionary(entry => entry.Key, entry => (int)entry.Value!);
    }

    public Task ResetCountersAsync() => SendAsync(HttpMethod.Post, "counters/reset");

    /// <summary>A bearer token that authenticates as the ServiceAccount <paramref name="serviceAccount"/>, which RBAC then governs.</summary>
    public async Task<string> IssueTokenAsync(string ns, string serviceAccount)
    {
        using var response = await http.PostAsJsonAsync("tokens", new JsonObject { ["namespace"] = ns, ["serviceAccount"] = serviceAccount }).ConfigureAwait(false);
        return (string)JsonNode.Parse(await EnsureSuccessAsync(response).ConfigureAwait(false))!["token"]!;
    }

    public void Dispose() => http.Dispose();

    private async Task SendAsync(HttpMethod method, string path, JsonObject? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await http.SendAsync(request).ConfigureAwait(false);
        await EnsureSuccessAsync(response).ConfigureAwait(false);
    }

    private static async Task<string> EnsureSuccessAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        return response.IsSuccessStatusCode
            ? body
            : throw new HttpRequestException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body}");
    }
}
