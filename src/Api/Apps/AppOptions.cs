namespace ProductEvents.Api.Apps;

/// <summary>One app (workspace): <c>ProductEvents:Apps:&lt;appId&gt;</c>.</summary>
public sealed class AppOptions
{
    /// <summary>Full access to the API. Keep it on servers.</summary>
    public string? SecretKey { get; set; }

    /// <summary>Ingest only; safe to put in shop pages.</summary>
    public string? PublicKey { get; set; }

    /// <summary>
    /// The web origins (<c>https://shop.example</c>) whose pages may call the API from a browser; <c>*</c> allows any.
    /// Requests from other origins are refused (403); requests without an Origin header (servers) are not affected.
    /// </summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>
    /// How long the app's events stay in the log after they were received: an ISO-8601 duration of days and times
    /// (<c>P400D</c>, <c>P52W</c>; at least one day, no years or months). Unset keeps them for ever. See docs/operations.md#retention.
    /// </summary>
    public string? Retention { get; set; }
}
