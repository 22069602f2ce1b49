namespace ProductEvents.Api.Contracts;

/// <summary>A page of members; <c>status</c> says whether the membership is final (<c>ready</c>) or still <c>building</c>.</summary>
public sealed record SegmentMembersResponse(IReadOnlyList<SegmentMemberResponse> Results, string? Next, string Status);

public sealed record SegmentMemberResponse(string? UserId, string? UserKey, DateTimeOffset Since);
