using System.Globalization;

namespace ProductEvents.Api.Ingest;

/// <summary>Event times as the API takes them: ISO-8601 text (UTC when no offset is given) or unix seconds.</summary>
public static class TimestampParser
{
    public static bool TryParse(JsonElement value, out DateTimeOffset timestamp)
    {
        timestamp = default;
        return value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetDouble(out var seconds) && TryFromUnixSeconds(seconds, out timestamp),
            JsonValueKind.String => TryParse(value.GetString(), out timestamp),
            _ => false,
        };
    }

    public static bool TryParse(string? text, out DateTimeOffset timestamp)
    {
        timestamp = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        if (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
        {
            return TryFromUnixSeconds(seconds, out timestamp);
        }

        // ISO-8601 only: a date first (yyyy-MM-dd), so "11/12/2026" never means two different days.
        return text.Length >= 10 && char.IsAsciiDigit(text[0]) && text[4] == '-'
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out timestamp);
    }

    /// <summary>
    /// A number too large for unix seconds whose thousandth is a date from 2001 on: a common mistake (JavaScript's
    /// <c>Date.now()</c>). <paramref name="seconds"/> is what was meant.
    /// </summary>
    public static bool LooksLikeMilliseconds(JsonElement value, out long seconds)
    {
        seconds = 0;
        double number;
        if (value.ValueKind == JsonValueKind.Number)
        {
            if (!value.TryGetDouble(out number))
            {
                return false;
            }
        }
        else if (value.ValueKind != JsonValueKind.String
            || !double.TryParse(value.GetString(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out number))
        {
            return false;
        }

        // 1e12 ms is 2001-09-09; as seconds it would be the year 33658.
        if (number is < 1e12 or > 253_402_300_799_999)
        {
            return false;
        }

        seconds = (long)(number / 1000);
        return true;
    }

    private static bool TryFromUnixSeconds(double seconds, out DateTimeOffset timestamp)
    {
        timestamp = default;
        if (double.IsNaN(seconds) || seconds < 0 || seconds > 253_402_300_799)
        {
            return false;
        }

        timestamp = DateTimeOffset.UnixEpoch.AddTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
        return true;
    }
}
