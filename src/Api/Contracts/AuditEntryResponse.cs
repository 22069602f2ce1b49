using System.Text.Json.Nodes;
using ProductEvents.Storage.Audit;

namespace ProductEvents.Api.Contracts;

/// <summary>One change: when, who (<c>operator</c>, <c>cli:&lt;user&gt;</c>, <c>key:&lt;name&gt;</c>), what, in which app, on what.</summary>
public sealed record AuditEntryResponse(long Id, DateTimeOffset At, string Actor, string Action, string? AppId, string? Subject, JsonObject? Details)
{
    public static AuditEntryResponse From(AuditRecord record) =>
        new(record.Id, record.At, record.Actor, record.Action, record.AppId, record.Subject, record.Details);
}
