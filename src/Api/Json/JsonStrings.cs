using System.Runtime.InteropServices;
using System.Text;

namespace ProductEvents.Api.Json;

/// <summary>
/// Short strings read from request JSON, shared across requests: attribute names, ids and short values repeat from one
/// event to the next, and every event would otherwise carry (and every product and contact keep) copies of its own.
/// A direct-mapped table of <see cref="Slots"/> strings of ASCII text up to <see cref="MaxPooledBytes"/> bytes; a
/// string that misses replaces the slot's, so the table never grows and a miss costs what reading without it costs.
/// Safe for concurrent use: a slot holds one reference, read and written whole.
/// </summary>
public static class JsonStrings
{
    public const int Slots = 1 << 14;

    public const int MaxPooledBytes = 48;

    private static readonly string?[] Table = new string?[Slots];

    /// <summary>The value of a JSON string, or the raw text of a JSON number (for example "19.90").</summary>
    public static string ValueText(JsonElement element) =>
        element.ValueKind == JsonValueKind.String
            ? FromRaw(JsonMarshal.GetRawUtf8Value(element)[1..^1]) ?? element.GetString()!
            : FromRaw(JsonMarshal.GetRawUtf8Value(element)) ?? element.GetRawText();

    public static string Name(JsonProperty property) => FromRaw(JsonMarshal.GetRawUtf8PropertyName(property)) ?? property.Name;

    /// <summary>The pooled string of these bytes; null when they are not pooled (too long, escaped or not ASCII).</summary>
    private static string? FromRaw(ReadOnlySpan<byte> raw)
    {
        if (raw.Length > MaxPooledBytes || raw.Contains((byte)'\\') || !Ascii.IsValid(raw))
        {
            return null;
        }

        var slot = (int)(Hash(raw) & (Slots - 1));
        var pooled = Volatile.Read(ref Table[slot]);
        if (pooled is not null && Ascii.Equals(raw, pooled))
        {
            return pooled;
        }

        var text = Encoding.ASCII.GetString(raw);
        Volatile.Write(ref Table[slot], text);
        return text;
    }

    /// <summary>FNV-1a over the bytes.</summary>
    private static uint Hash(ReadOnlySpan<byte> raw)
    {
        var hash = 2166136261u;
        foreach (var b in raw)
        {
            hash = (hash ^ b) * 16777619u;
        }

        return hash;
    }
}
