namespace ProductEvents.Api.Contracts;

public sealed record SegmentCountResponse(long Count, string Status);
