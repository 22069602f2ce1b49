namespace ProductEvents.Api.Apps;

/// <summary>One app (workspace): <c>ProductEvents:Apps:&lt;appId&gt;</c>.</summary>
public sealed class AppOptions
{
    /// <summary>Full access to the API. Keep it on servers.</summary>
    public string? SecretKey { get; set; }

    /// <summary>Ingest only; safe to put in shop pages.</summary>
    public string? PublicKey { get; set; }
}
