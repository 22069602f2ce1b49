using System.Globalization;
using System.Text;

namespace ProductEvents.Grains.Segments;

/// <summary>
/// ISO-8601 durations of fixed length: <c>PnW</c> or <c>PnDTnHnMnS</c> (any part may be left out; the last part may
/// have a fraction). Years and months are refused because their length depends on the calendar.
/// </summary>
public static class IsoDuration
{
    public static bool TryParse(string? text, out TimeSpan value) => TryParse(text, out value, out _);

    /// <summary>As <see cref="TryParse(string?, out TimeSpan)"/>; <paramref name="usesYearsOrMonths"/> tells why a
    /// well-formed calendar duration such as <c>P1M</c> was refused, so the message can say so.</summary>
    public static bool TryParse(string? text, out TimeSpan value, out bool usesYearsOrMonths)
    {
        value = default;
        usesYearsOrMonths = false;
        if (string.IsNullOrEmpty(text) || char.ToUpperInvariant(text[0]) != 'P' || text.Length < 3)
        {
            return false;
        }

        // Designators in the order ISO-8601 allows them; 'M' means months before 'T' and minutes after it.
        ReadOnlySpan<char> dateOrder = ['Y', 'M', 'W', 'D'];
        ReadOnlySpan<char> timeOrder = ['H', 'M', 'S'];
        var inTime = false;
        var next = 0;
        var parts = 0;
        var hadFraction = false;
        var hadWeeks = false;
        var calendar = false;
        decimal ticks = 0;
        var i = 1;
        while (i < text.Length)
        {
            if (char.ToUpperInvariant(text[i]) == 'T')
            {
                if (inTime || i == text.Length - 1)
                {
                    return false;
                }

                inTime = true;
                next = 0;
                i++;
                continue;
            }

            if (hadFraction || hadWeeks)
            {
                return false;
            }

            var start = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            if (i == start)
            {
                return false;
            }

            if (i < text.Length && text[i] is '.' or ',')
            {
                i++;
                var fractionStart = i;
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }

                if (i == fractionStart)
                {
                    return false;
                }

                hadFraction = true;
            }

            if (i == text.Length || i - start > 15)
            {
                return false;
            }

            var number = decimal.Parse(text.AsSpan(start, i - start).ToString().Replace(',', '.'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            var designator = char.ToUpperInvariant(text[i]);
            i++;
            var order = inTime ? timeOrder : dateOrder;
            var at = order[next..].IndexOf(designator);
            if (at < 0)
            {
                return false;
            }

            next += at + 1;
            parts++;
            switch (inTime, designator)
            {
                case (false, 'Y' or 'M'):
                    calendar = true;
                    break;
                case (false, 'W'):
                    // Weeks stand alone in ISO-8601 (P2W), they are not mixed with days or times.
                    if (parts > 1)
                    {
                        return false;
                    }

                    hadWeeks = true;
                    ticks += number * TimeSpan.TicksPerDay * 7;
                    break;
                case (false, 'D'):
                    ticks += number * TimeSpan.TicksPerDay;
                    break;
                case (true, 'H'):
                    ticks += number * TimeSpan.TicksPerHour;
                    break;
                case (true, 'M'):
                    ticks += number * TimeSpan.TicksPerMinute;
                    break;
                default:
                    ticks += number * TimeSpan.TicksPerSecond;
                    break;
            }

            if (ticks > TimeSpan.MaxValue.Ticks)
            {
                return false;
            }
        }

        // Only a duration that is well-formed apart from its years or months is reported as such.
        usesYearsOrMonths = calendar;
        if (parts == 0 || calendar)
        {
            return false;
        }

        value = TimeSpan.FromTicks((long)decimal.Round(ticks, MidpointRounding.AwayFromZero));
        return true;
    }

    /// <summary>The canonical text: days, hours, minutes and seconds, zero parts left out (<c>P7D</c>, <c>PT1H30M</c>).</summary>
    public static string Format(TimeSpan value)
    {
        if (value < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A duration is not negative.");
        }

        var text = new StringBuilder("P");
        if (value.Days > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{value.Days}D");
        }

        var seconds = value.Ticks % TimeSpan.TicksPerMinute;
        if (value.Hours > 0 || value.Minutes > 0 || seconds > 0 || value == TimeSpan.Zero)
        {
            text.Append('T');
            if (value.Hours > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"{value.Hours}H");
            }

            if (value.Minutes > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"{value.Minutes}M");
            }

            if (seconds > 0 || value == TimeSpan.Zero)
            {
                text.Append((seconds / (decimal)TimeSpan.TicksPerSecond).ToString("0.#######", CultureInfo.InvariantCulture)).Append('S');
            }
        }

        return text.ToString();
    }
}
