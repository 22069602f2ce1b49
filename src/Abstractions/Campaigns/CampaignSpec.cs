namespace ProductEvents.Abstractions.Campaigns;

/// <summary>A validated campaign definition: whom (a segment), when, how fast and what (a signed, templated webhook).</summary>
[GenerateSerializer, Immutable, Alias("pe.CampaignSpec")]
public sealed record CampaignSpec(
    [property: Id(0)] string Name,
    [property: Id(1)] string SegmentId,
    [property: Id(2)] DateTimeOffset SendAt,
    [property: Id(3)] int ThrottlePerSecond,
    [property: Id(4)] string Url,
    [property: Id(5)] string Secret,
    [property: Id(6)] string Template,
    [property: Id(7)] DateTimeOffset CreatedAt);
