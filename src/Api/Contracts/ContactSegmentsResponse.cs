namespace ProductEvents.Api.Contracts;

public sealed record ContactSegmentsResponse(string UserId, IReadOnlyList<ContactSegmentResponse> Results);

public sealed record ContactSegmentResponse(string SegmentId, string Name, DateTimeOffset Since);
