using System.Globalization;

namespace Kube.Emulator.Objects;

/// <summary>RFC 3339 timestamps at second precision, as metav1.Time serializes.</summary>
internal static class Timestamps
{
    public static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Now(TimeProvider time) => Format(time.GetUtcNow());
}
