namespace ProductEvents.Api.Ingest;

/// <summary>The ingest queue is full; answered with 429 and Retry-After.</summary>
public sealed class IngestOverloadedException() : Exception("The ingest queue is full.");
