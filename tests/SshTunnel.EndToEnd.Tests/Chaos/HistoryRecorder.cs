using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using SshTunnel.Core.Model;
using SshTunnel.Core.Secrets;

namespace SshTunnel.EndToEnd.Tests.Chaos;

/// <summary>
/// Watches of its own on the key Secrets and the connections of one namespace, over plain HTTP,
/// recording every version they deliver into a <see cref="ChaosHistory"/>. A watch that ends
/// resumes from the last resourceVersion it saw; one answered 410 Expired (after a compaction)
/// relists and records the gap.
/// </summary>
public sealed class HistoryRecorder : IAsyncDisposable
{
    private readonly HttpClient http;
    private readonly ChaosHistory history;
    private readonly CancellationTokenSource stop = new();
    private readonly Task secrets;
    private readonly Task connections;
    private long secretsSeen;
    private long connectionsSeen;

    private HistoryRecorder(Uri apiServer, string ns, ChaosHistory history)
    {
        http = new HttpClient { BaseAddress = apiServer, Timeout = Timeout.InfiniteTimeSpan };
        this.history = history;
        var selector = Uri.EscapeDataString(KeySecretLayout.ManagedBySelector);
        secrets = Task.Run(() => FollowAsync($"/api/v1/namespaces/{ns}/secrets?labelSelector={selector}", RecordSecret, seen => secretsSeen = seen));
        connections = Task.Run(() => FollowAsync(
            $"/apis/{ResourceNames.Group}/{ResourceNames.Version}/namespaces/{ns}/{ResourceNames.Plural}?", RecordStatus, seen => connectionsSeen = seen));
    }

    /// <summary>The resourceVersion both watches have reached.</summary>
    public long Seen => Math.Min(Interlocked.Read(ref secretsSeen), Interlocked.Read(ref connectionsSeen));

    public static HistoryRecorder Start(Uri apiServer, string ns, ChaosHistory history) => new(apiServer, ns, history);

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(secrets, connections).ConfigureAwait(false);
        http.Dispose();
        stop.Dispose();
    }

    private async Task FollowAsync(string path, Action<JsonObject> record, Action<long> reached)
    {
        string? resourceVersion = null;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (resourceVersion is null)
                {
                    var list = JsonNode.Parse(await http.GetStringAsync(path, stop.Token).ConfigureAwait(false))!.AsObject();
                    foreach (var item in list["items"]!.AsArray())
                    {
                        record(item!.AsObject());
                    }

                    resourceVersion = (string)list["metadata"]!["resourceVersion"]!;
                    reached(long.Parse(resourceVersion, CultureInfo.InvariantCulture));
                }

                resourceVersion = await WatchAsync($"{path}&watch=1&allowWatchBookmarks=true&resourceVersion={resourceVersion}", resourceVersion, record, reached)
                    .ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpRequestException e) when (e.StatusCode == HttpStatusCode.Gone)
            {
                resourceVersion = Relist(resourceVersion);
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                // A closed connection: resume from the last version seen.
                await Task.Delay(TimeSpan.FromMilliseconds(50), CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Reads one watch to its end; returns the version to resume from, or null to relist.</summary>
    private async Task<string?> WatchAsync(string path, string resourceVersion, Action<JsonObject> record, Action<long> reached)
    {
        using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, stop.Token).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Gone)
        {
            return Relist(resourceVersion);
        }

        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop.Token).ConfigureAwait(false), Encoding.UTF8);
        while (await reader.ReadLineAsync(stop.Token).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var watchEvent = JsonNode.Parse(line)!.AsObject();
            var item = watchEvent["object"]!.AsObject();
            switch ((string?)watchEvent["type"])
            {
                case "ERROR" when (int?)item["code"] == (int)HttpStatusCode.Gone:
                    return Relist(resourceVersion);
                case "ERROR":
                    throw new IOException("watch error: " + item.ToJsonString());
                case "ADDED" or "MODIFIED":
                    record(item);
                    break;
            }

            resourceVersion = (string)item["metadata"]!["resourceVersion"]!;
            reached(long.Parse(resourceVersion, CultureInfo.InvariantCulture));
        }

        return resourceVersion;
    }

    private string? Relist(string? resourceVersion)
    {
        lock (history)
        {
            history.Gaps.Add(resourceVersion is null ? 0 : long.Parse(resourceVersion, CultureInfo.InvariantCulture));
        }

        return null;
    }

    private void RecordSecret(JsonObject secret)
    {
        var version = SecretVersionOf(secret);
        lock (history)
        {
            history.Secrets.Add(version);
        }
    }

    private void RecordStatus(JsonObject connection)
    {
        var version = StatusVersionOf(connection);
        lock (history)
        {
            history.Statuses.Add(version);
        }
    }

    /// <summary>A key Secret as the API server serves it.</summary>
    public static SecretVersion SecretVersionOf(JsonObject secret)
    {
        var data = secret["data"]?.AsObject();
        string Data(string key) => data?[key] is { } value ? Encoding.UTF8.GetString(Convert.FromBase64String((string)value!)) : string.Empty;
        var annotations = secret["metadata"]!["annotations"]?.AsObject();
        return new SecretVersion(
            ConnectionOf(secret, KeySecretLayout.SecretName(string.Empty)),
            ResourceVersionOf(secret),
            Data(KeySecretLayout.PublicKey1).Trim(),
            Data(KeySecretLayout.PrivateKey1),
            Data(KeySecretLayout.PublicKey2).Trim(),
            Data(KeySecretLayout.PrivateKey2),
            annotations?[KeySecretLayout.RotationCountAnnotation] is { } count ? int.Parse((string)count!, CultureInfo.InvariantCulture) : 0,
            ParseHandled((string?)annotations?[KeySecretLayout.RotationHandledAnnotation]));
    }

    /// <summary>A connection's status as the API server serves it.</summary>
    public static StatusVersion StatusVersionOf(JsonObject connection)
    {
        var status = connection["status"]?.AsObject();
        return new StatusVersion(
            ConnectionOf(connection, string.Empty),
            ResourceVersionOf(connection),
            ((string?)status?["publicKey1"])?.Trim(),
            ((string?)status?["publicKey2"])?.Trim(),
            (int?)status?["rotation"]?["count"] ?? 0,
            ParseHandled((string?)status?["rotation"]?["handled"]));
    }

    /// <summary>A handled rotate-keys value; the run writes only integers.</summary>
    public static long? ParseHandled(string? value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var handled) ? handled : null;

    private static string ConnectionOf(JsonObject item, string suffix)
    {
        var name = (string)item["metadata"]!["name"]!;
        return name.EndsWith(suffix, StringComparison.Ordinal) ? name[..^suffix.Length] : name;
    }

    private static long ResourceVersionOf(JsonObject item) =>
        long.Parse((string)item["metadata"]!["resourceVersion"]!, CultureInfo.InvariantCulture);
}
