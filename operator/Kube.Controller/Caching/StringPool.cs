using System.Collections.Concurrent;

namespace Kube.Controller.Caching;

/// <summary>
/// Shares one instance of each repeated string among cached objects: every cached object
/// otherwise holds its own copies of the same namespaces, label and annotation keys, kinds and
/// condition texts, which deserialization allocates afresh for every object and every version.
/// Bounded, so strings that turn out to be unique (names, uids) cannot grow it without end:
/// once full, strings not yet pooled are returned as they are.
/// </summary>
public sealed class StringPool(int capacity)
{
    private readonly ConcurrentDictionary<string, string> pooled = new(StringComparer.Ordinal);

    public int Count => pooled.Count;

    public string Share(string value)
    {
        if (pooled.TryGetValue(value, out var shared))
        {
            return shared;
        }

        return pooled.Count < capacity ? pooled.GetOrAdd(value, value) : value;
    }

    public string? ShareOrNull(string? value) => value is null ? null : Share(value);

    /// <summary>A copy of the dictionary with pooled keys (and values, when <paramref name="shareValues"/>), sized to its entries.</summary>
    public IDictionary<string, string>? Share(IDictionary<string, string>? entries, bool shareValues)
    {
        if (entries is null)
        {
            return null;
        }

        var copy = new Dictionary<string, string>(entries.Count, StringComparer.Ordinal);
        foreach (var (key, value) in entries)
        {
            copy[Share(key)] = shareValues ? Share(value) : value;
        }

        return copy;
    }

    /// <summary>A copy of the dictionary with pooled keys, sized to its entries.</summary>
    public IDictionary<string, byte[]>? Share(IDictionary<string, byte[]>? entries)
    {
        if (entries is null)
        {
            return null;
        }

        var copy = new Dictionary<string, byte[]>(entries.Count, StringComparer.Ordinal);
        foreach (var (key, value) in entries)
        {
            copy[Share(key)] = value;
        }

        return copy;
    }
}
