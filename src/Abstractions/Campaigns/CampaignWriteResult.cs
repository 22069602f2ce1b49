using ProductEvents.Abstractions.Segments;

namespace ProductEvents.Abstractions.Campaigns;

/// <summary>The outcome of creating a campaign: the campaign, or why the definition was refused.</summary>
[GenerateSerializer, Immutable, Alias("pe.CampaignWriteResult")]
public sealed record CampaignWriteResult(
    [property: Id(0)] CampaignInfo? Campaign,
    [property: Id(1)] IReadOnlyList<DefinitionError> Errors,
    [property: Id(2)] bool LimitReached = false);
