namespace ProductEvents.Api.Contracts;

/// <summary>The body of a key's rotation (optional): how long the old key keeps working, 0 (the default) to 604800 seconds.</summary>
public sealed record AppKeyRotateRequest(int? GraceSeconds);
