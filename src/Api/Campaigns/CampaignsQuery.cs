namespace ProductEvents.Api.Campaigns;

/// <summary>The query of the campaigns listing: <c>limit</c> (1 to 1000), bound as text so that a bad one gets the listing's own 400.</summary>
public sealed record CampaignsQuery(string? Limit);
