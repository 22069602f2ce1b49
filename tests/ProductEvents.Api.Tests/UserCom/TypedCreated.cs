namespace ProductEvents.Api.Tests.UserCom;

/// <summary>User.com's answer to "Create product event": <c>{"id": 388}</c>.</summary>
public sealed record TypedCreated(long Id);
