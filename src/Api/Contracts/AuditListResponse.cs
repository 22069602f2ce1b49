namespace ProductEvents.Api.Contracts;

/// <summary>Audit entries, newest first; <c>next</c> continues with older ones.</summary>
public sealed record AuditListResponse(IReadOnlyList<AuditEntryResponse> Results, string? Next);
