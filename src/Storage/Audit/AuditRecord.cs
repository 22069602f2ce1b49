using System.Text.Json.Nodes;

namespace ProductEvents.Storage.Audit;

/// <summary>A recorded <see cref="AuditEntry"/>: its id (increasing, the listing's cursor) and when it was written.</summary>
public sealed record AuditRecord(long Id, DateTimeOffset At, string Actor, string Action, string? AppId, string? Subject, JsonObject? Details);
