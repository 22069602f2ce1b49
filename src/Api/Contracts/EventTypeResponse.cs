namespace ProductEvents.Api.Contracts;

public sealed record EventTypeResponse(int Id, string Name);
