namespace ProductEvents.Api.Apps;

/// <summary>What a request's key grants: the app it belongs to, and whether it is the secret (full) key.</summary>
public sealed record AppAccess(string AppId, bool IsSecret);
