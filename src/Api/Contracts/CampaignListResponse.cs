namespace ProductEvents.Api.Contracts;

/// <summary>The campaigns of an app, newest first.</summary>
public sealed record CampaignListResponse(IReadOnlyList<CampaignResponse> Results);
