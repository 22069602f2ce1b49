namespace ProductEvents.Api.Contracts;

/// <summary>A page of deliveries, newest first; <c>next</c> is the URL of the following page, null on the last.</summary>
public sealed record DeliveryListResponse(IReadOnlyList<DeliveryResponse> Results, string? Next);
