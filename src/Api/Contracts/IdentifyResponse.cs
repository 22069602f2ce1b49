namespace ProductEvents.Api.Contracts;

/// <summary>The visitor key now belongs to the contact; its events count as the contact's.</summary>
public sealed record IdentifyResponse(string UserId, string UserKey);
