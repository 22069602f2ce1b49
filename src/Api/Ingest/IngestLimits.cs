namespace ProductEvents.Api.Ingest;

/// <summary>The limits on what one event or one request may hold. The README lists them; each breach is a 4xx.</summary>
public static class IngestLimits
{
    public const int MaxProductIdLength = 255;
    public const int MaxUserIdLength = 255;
    public const int MaxEventIdLength = 128;
    public const int MaxNameLength = 1_000;
    public const int MaxAttributes = 100;
    public const int MaxAttributeKeyLength = 128;
    public const int MaxAttributeStringLength = 4_096;
    public const int MaxCustomDataBytes = 16 * 1024;

    /// <summary>Levels of nesting in <c>custom_data</c>, its own object being the first.</summary>
    public const int MaxCustomDataDepth = 16;
    public const int MaxEventBytes = 64 * 1024;
    public const int MaxBatchEvents = 1_000;
    public const int MaxBatchBytes = 1024 * 1024;

    /// <summary>Event times may run this far ahead of the server's clock (clock skew), no further.</summary>
    public static readonly TimeSpan MaxFutureSkew = TimeSpan.FromDays(1);

    /// <summary>Event times before this are refused as mistakes.</summary>
    public static readonly DateTimeOffset MinTimestamp = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
}
