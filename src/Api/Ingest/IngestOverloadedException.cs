namespace ProductEvents.Api.Ingest;

/// <summary>The ingest queue is full; answered with 429 and Retry-After.</summary>
public sealed class IngestOverloadedException() : Exception("The ingest queue is full.");

/// <summary>The request is over its app's quota; answered with 429, Retry-After and the RateLimit headers.</summary>
public sealed class IngestQuotaExceededException(QuotaExceeded quota) : Exception("The app's ingest quota is used up.")
{
    public QuotaExceeded Quota { get; } = quota;
}
