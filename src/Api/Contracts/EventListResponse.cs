namespace ProductEvents.Api.Contracts;

/// <summary>A page of events, newest first; <c>next</c> is the URL of the following page, null on the last.</summary>
public sealed record EventListResponse(IReadOnlyList<ProductEventResponse> Results, string? Next);
