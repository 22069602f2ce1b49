using Microsoft.AspNetCore.Mvc;

namespace ProductEvents.Api.Automations;

/// <summary>
/// The query of the deliveries listing: <c>status</c> (pending, delivered, failed, dead), <c>campaign_id</c>,
/// <c>cursor</c> (from the previous page's <c>next</c>) and <c>limit</c> (1 to 1000).
/// Bound as text so that a bad value gets the listing's own 400, naming the parameter.
/// </summary>
public sealed record DeliveriesQuery(
    string? Status,
    [property: FromQuery(Name = "campaign_id")] string? CampaignId,
    string? Cursor,
    string? Limit);
