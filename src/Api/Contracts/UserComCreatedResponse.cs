namespace ProductEvents.Api.Contracts;

/// <summary>The answer to a User.com-style product event: the event's integer id (its log position).</summary>
public sealed record UserComCreatedResponse(long Id);
