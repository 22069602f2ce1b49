namespace ProductEvents.Api.Audit;

/// <summary>
/// The query of the audit listing: <c>app</c>, <c>action</c>, <c>since</c> and <c>until</c> (ISO-8601 or unix
/// seconds), <c>cursor</c> and <c>limit</c> (1 to 1000). Bound as text so that a bad value gets the listing's own 400.
/// </summary>
public sealed record AuditListQuery(string? App, string? Action, string? Since, string? Until, string? Cursor, string? Limit);
