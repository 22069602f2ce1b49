namespace ProductEvents.Api.Contracts;

/// <summary>Joins and leaves, oldest first; <c>next</c> continues after the last one.</summary>
public sealed record SegmentChangesResponse(IReadOnlyList<SegmentChangeResponse> Results, string? Next);

public sealed record SegmentChangeResponse(long Number, string? UserId, string? UserKey, string Change, DateTimeOffset At);
