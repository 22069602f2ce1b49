using System.Globalization;
using System.Text.RegularExpressions;

namespace ProductEvents.Grains.Segments;

/// <summary>
/// ISO-8601 date-times for <c>since</c>/<c>until</c>: <c>2026-01-31</c>, <c>2026-01-31T08:00</c>,
/// <c>2026-01-31T08:00:00.5+02:00</c>. Without an offset the time is UTC, so a definition means the same on every silo.
/// </summary>
internal static partial class IsoDateTime
{
    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        return text is not null
            && Shape().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }

    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    // The shape is checked here because DateTimeOffset.TryParse alone also takes "1/2/2026" and "Monday".
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}([.,]\d{1,7})?)?(Z|[+-]\d{2}:\d{2})?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
