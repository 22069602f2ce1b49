namespace ProductEvents.Api.Contracts;

/// <summary>
/// The body of an app's create (<c>id</c> required) or change (what is given is replaced). Documents the shape only:
/// the endpoint reads and validates the body itself, so each refusal names its field.
/// </summary>
public sealed record AppRequest(string? Id, string? Name, IReadOnlyList<string>? AllowedOrigins);
