namespace ProductEvents.Api.Contracts;

/// <summary>
/// The body of a campaign's create: the segment to reach, when (now when absent) and how fast.
/// Documents the shape only: the definition parser reads and validates the body.
/// </summary>
public sealed record CampaignRequest(
    string Name,
    string SegmentId,
    DateTimeOffset? SendAt,
    int? ThrottlePerSecond,
    ActionRequest Action);
