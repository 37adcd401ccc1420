using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using k8s;
using k8s.Models;

namespace Kube.Controller.Sources;

/// <summary>
/// Reads a watch response as the API server sends it, one JSON event per line, straight from
/// the response's bytes. Each line's head (type, kind, namespace, name, resourceVersion) is read
/// first; the object is then decoded once, with KubernetesClient's own serializer options,
/// unless the event is a bookmark or an ADDED or MODIFIED event of a version the watcher already
/// holds (its own write), which need no object. Objects come without <c>metadata.managedFields</c>
/// (<see cref="ClientJson"/>). ERROR events (a Status, such as 410 Expired)
/// and lines that do not parse go to the error callback, as KubernetesClient's watcher reports
/// them, and the watch reads on.
/// </summary>
internal static class WatchEventReader<T>
    where T : class
{
    private const int InitialBuffer = 16 * 1024;

    /// <summary>The events of <paramref name="stream"/> until it ends.</summary>
    /// <param name="stream">The watch response's body.</param>
    /// <param name="isHeld">Whether the watcher holds this object at this resourceVersion already.</param>
    /// <param name="onError">Receives ERROR events as <see cref="KubernetesException"/> and undecodable lines as <see cref="JsonException"/>.</param>
    /// <param name="cancellationToken">Ends the read.</param>
    public static async IAsyncEnumerable<WatchedEvent<T>> ReadAsync(
        Stream stream,
        Func<ObjectKey, string, bool> isHeld,
        Action<Exception> onError,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBuffer);
        try
        {
            // Bytes [lineStart, filled) are read and not yet handed out; [lineStart, scanned) hold no newline.
            int lineStart = 0, scanned = 0, filled = 0;
            while (true)
            {
                int newline;
                while ((newline = buffer.AsSpan(scanned, filled - scanned).IndexOf((byte)'\n')) >= 0)
                {
                    var lineEnd = scanned + newline;
                    var decoded = Decode(buffer.AsSpan(lineStart, lineEnd - lineStart), isHeld, onError);
                    lineStart = scanned = lineEnd + 1;
                    if (decoded is { } watched)
                    {
                        yield return watched;
                    }
                }

                scanned = filled;
                if (filled == buffer.Length)
                {
                    buffer = MakeRoom(buffer, ref lineStart, ref scanned, ref filled);
                }

                var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    if (Decode(buffer.AsSpan(lineStart, filled - lineStart), isHeld, onError) is { } last)
                    {
                        yield return last;
                    }

                    yield break;
                }

                filled += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Moves the unfinished line to the front, or into a buffer twice the size when it fills this one.</summary>
    private static byte[] MakeRoom(byte[] buffer, ref int lineStart, ref int scanned, ref int filled)
    {
        var pending = filled - lineStart;
        var target = lineStart > 0 ? buffer : ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
        buffer.AsSpan(lineStart, pending).CopyTo(target);
        if (!ReferenceEquals(target, buffer))
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        scanned -= lineStart;
        filled = pending;
        lineStart = 0;
        return target;
    }

    private static WatchedEvent<T>? Decode(ReadOnlySpan<byte> line, Func<ObjectKey, string, bool> isHeld, Action<Exception> onError)
    {
        line = line.Trim(" \t\r"u8);
        if (line.IsEmpty)
        {
            return null;
        }

        try
        {
            var head = WatchEventHead.Read(line);
            if (head.Type == WatchEventType.Error || head.Kind == "Status")
            {
                onError(new KubernetesException(JsonSerializer.Deserialize(line[head.Object], ClientJson.TypeInfo<V1Status>())));
                return null;
            }

            var resourceVersion = head.ResourceVersion ?? "";
            if (head.Type == WatchEventType.Bookmark
                || (head.Type is WatchEventType.Added or WatchEventType.Modified
                    && head.Name is { } name
                    && isHeld(new ObjectKey(head.Namespace ?? "", name), resourceVersion)))
            {
                return new WatchedEvent<T>(head.Type, resourceVersion, null);
            }

            var decoded = JsonSerializer.Deserialize(line[head.Object], ClientJson.TypeInfo<T>())
                ?? throw new JsonException("A watch event's object is null.");
            return new WatchedEvent<T>(head.Type, resourceVersion, decoded);
        }
        catch (JsonException e)
        {
            onError(e);
            return null;
        }
    }
}
