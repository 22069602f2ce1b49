namespace ProductEvents.Api.Apps;

/// <summary>
/// What a request's key grants: the app it belongs to, whether it is a secret (full) key, and the name the audit log
/// gives whoever holds it (<see cref="Storage.Audit.AuditActors.AppKey"/>).
/// </summary>
public sealed record AppAccess(string AppId, bool IsSecret, string Actor);
