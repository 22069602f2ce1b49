namespace ProductEvents.Api.Contracts;

public sealed record SegmentMembershipResponse(bool Member, DateTimeOffset? Since, string Status);
