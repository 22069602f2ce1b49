using System.Text.Json.Nodes;

namespace ProductEvents.Storage.Audit;

/// <summary>
/// One change to record: who (<see cref="AuditActors"/>), what (<see cref="AuditActions"/>), in which app, on what
/// (a segment id, a key name, a contact), and whatever else helps a reader (never a secret).
/// </summary>
public sealed record AuditEntry(string Actor, string Action, string? AppId, string? Subject, JsonObject? Details = null);
