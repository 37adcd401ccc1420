using System.Buffers;
using System.Globalization;
using System.Text.Json.Nodes;
using Kube.Emulator.Api;
using Kube.Emulator.Discovery;
using Kube.Emulator.Objects;
using Kube.Emulator.Selectors;
using Kube.Emulator.Storage;
using Kube.Emulator.Tables;
using Microsoft.AspNetCore.Http;

namespace Kube.Emulator.Watch;

/// <summary>
/// Streams watch events as JSON lines: shared pre-serialized lines when no selector or conversion applies,
/// selector transitions as ADDED/DELETED, bookmarks, timeouts, and 410 Expired as an ERROR event.
/// </summary>
internal sealed class WatchStreamer(TimeProvider time)
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(30);

    public async Task ServeAsync(HttpContext context, ResourceType type, string? namespaceName, string? pinnedName)
    {
        var query = context.Request.Query;
        var labels = LabelSelector.Parse(query["labelSelector"]);
        var fields = FieldSelector.Parse(pinnedName is null ? query["fieldSelector"].ToString() : "metadata.name=" + pinnedName, type);
        var bookmarks = query["allowWatchBookmarks"].ToString() == "true";
        var sendInitial = query["sendInitialEvents"].ToString() == "true";
        var versionText = query["resourceVersion"].ToString();
        long? from = null;
        if (versionText.Length > 0 && versionText != "0")
        {
            from = long.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : throw ApiErrors.BadRequest("resourceVersion: Invalid value: \"" + versionText + "\": must be a valid resource version");
        }

        var timeout = DefaultTimeout;
        if (long.TryParse(query["timeoutSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            timeout = TimeSpan.FromSeconds(seconds);
        }
        else if (query["timeout"].ToString() is { Length: > 0 } timeoutText && GoDuration.TryParse(timeoutText, out var parsedTimeout))
        {
            timeout = parsedTimeout;
        }

        var table = TableRequest.Wanted(context.Request);
        var includeObject = TableRequest.IncludeObject(context.Request);
        var start = type.Store.Watch(namespaceName, bookmarks || sendInitial, from, sendInitial, out _);
        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "application/json";
        await response.StartAsync(context.RequestAborted).ConfigureAwait(false);
        var writer = response.BodyWriter;

        // The real server flushes the headers at once: clients (client-go's Watch, kubectl wait) block on them.
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        if (start.Watcher is not { } watcher)
        {
            var expired = new ApiException(410, "Expired", "too old resource version: " + from!.Value.ToString(CultureInfo.InvariantCulture) + " (" + start.CompactedThrough.ToString(CultureInfo.InvariantCulture) + ")");
            writer.Write(JsonText.Serialize(new JsonObject { ["type"] = "ERROR", ["object"] = expired.ToStatus() }));
            writer.Write("\n"u8);
            await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            return;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        using var timer = time.CreateTimer(_ => SafeCancel(stop), null, timeout, Timeout.InfiniteTimeSpan);
        var filtered = !labels.IsEverything || !fields.IsEverything;
        var headersSent = false;
        try
        {
            while (await watcher.Events.WaitToReadAsync(stop.Token).ConfigureAwait(false))
            {
                while (watcher.Events.TryRead(out var watchEvent))
                {
                    var line = Line(type, watchEvent, filtered, labels, fields, table, includeObject, ref headersSent);
                    if (line is not null)
                    {
                        writer.Write(line);
                    }
                }

                var flushed = await writer.FlushAsync(stop.Token).ConfigureAwait(false);
                if (flushed.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }
        finally
        {
            type.Store.Unwatch(watcher);
        }
    }

    private static void SafeCancel(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            return;
        }
    }

    private byte[]? Line(ResourceType type, WatchEvent watchEvent, bool filtered, LabelSelector labels, FieldSelector fields, bool table, string includeObject, ref bool headersSent)
    {
        if (watchEvent.Type == WatchEventType.Bookmark)
        {
            var metadata = new JsonObject { ["resourceVersion"] = watchEvent.ResourceVersion.ToString(CultureInfo.InvariantCulture), ["creationTimestamp"] = null };
            if (watchEvent.InitialEventsEnd)
            {
                metadata["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
            }

            return WatchEvent.BuildLine(WatchEventType.Bookmark, JsonText.Serialize(new JsonObject { ["kind"] = type.Kind, ["apiVersion"] = type.ApiVersion, ["metadata"] = metadata }));
        }

        var kind = watchEvent.Type;
        var subject = watchEvent.Current!;
        if (filtered)
        {
            var currentPasses = kind != WatchEventType.Deleted && Matches(subject, labels, fields);
            var previousPasses = watchEvent.Previous is { } previous && Matches(previous, labels, fields);
            if (kind == WatchEventType.Deleted)
            {
                previousPasses = Matches(watchEvent.Previous ?? subject, labels, fields);
            }

            switch (currentPasses, previousPasses)
            {
                case (false, false):
                    return null;
                case (true, false):
                    kind = WatchEventType.Added;
                    break;
                case (false, true) when kind != WatchEventType.Deleted:
                    {
                        kind = WatchEventType.Deleted;
                        var last = watchEvent.Previous!.Parse();
                        last.Meta()["resourceVersion"] = watchEvent.ResourceVersion.ToString(CultureInfo.InvariantCulture);
                        subject = new StoredObject(subject.Key, last, watchEvent.ResourceVersion);
                        break;
                    }
            }
        }

        if (table)
        {
            var rendered = TableWriter.Build(type, [ObjectResponses.Render(type, subject)], null, null, includeObject, withHeaders: !headersSent, time);
            headersSent = true;
            return WatchEvent.BuildLine(kind, JsonText.Serialize(rendered));
        }

        if (kind == watchEvent.Type && ReferenceEquals(subject, watchEvent.Current) && subject.ApiVersion == type.ApiVersion)
        {
            return watchEvent.Line;
        }

        return WatchEvent.BuildLine(kind, ObjectResponses.RenderBytes(type, subject));
    }

    private static bool Matches(StoredObject obj, LabelSelector labels, FieldSelector fields) =>
        labels.Matches(obj.Labels) && fields.Matches(obj);
}
