namespace ProductEvents.Api.Contracts;

/// <summary>The body of a key's add: its name within the app and its kind, <c>secret</c> or <c>public</c>.</summary>
public sealed record AppKeyRequest(string Name, string Kind);
