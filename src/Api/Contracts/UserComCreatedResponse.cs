namespace ProductEvents.Api.Contracts;

/// <summary>The answer to a User.com-style product event: the event's id.</summary>
public sealed record UserComCreatedResponse(string Id);
