namespace ProductEvents.Api.Contracts;

/// <summary>The answer to one ingested event: its id (the first event's id when it is a duplicate).</summary>
public sealed record EventAcceptedResponse(string Id, bool Duplicate);
