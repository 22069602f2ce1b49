using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace ProductEvents.Storage.EventLog;

/// <summary>Where a page of a listing ended: the (event time, log position) of its last entry. Opaque to clients.</summary>
public readonly record struct EventCursor(DateTimeOffset Timestamp, long Seq)
{
    public string Encode() =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"{Timestamp.UtcTicks}.{Seq}")));

    public static bool TryDecode(string? text, out EventCursor cursor)
    {
        cursor = default;
        if (string.IsNullOrEmpty(text) || text.Length > 64)
        {
            return false;
        }

        try
        {
            var parts = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(text)).Split('.');
            if (parts.Length == 2
                && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var seq)
                && ticks <= DateTimeOffset.MaxValue.UtcTicks)
            {
                cursor = new EventCursor(new DateTimeOffset(ticks, TimeSpan.Zero), seq);
                return true;
            }
        }
        catch (FormatException)
        {
        }

        return false;
    }

    /// <summary>Newest first: true when an entry comes after this cursor in a listing.</summary>
    public bool IsBefore(DateTimeOffset timestamp, long seq) => timestamp < Timestamp || (timestamp == Timestamp && seq < Seq);
}
