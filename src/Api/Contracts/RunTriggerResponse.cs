using ProductEvents.Abstractions.Automations;

namespace ProductEvents.Api.Contracts;

/// <summary>What started a run: an event (<c>kind</c> "event", with its id and type) or a segment change.</summary>
public sealed record RunTriggerResponse(
    string Kind,
    string? EventId,
    string? EventType,
    string? ProductId,
    string? SegmentId,
    DateTime Timestamp)
{
    public static RunTriggerResponse From(TriggerEvent t) => new(
        t.Kind,
        t.Kind == "event" ? t.Id : null,
        t.EventType is { } type ? ProductEventTypes.Name(type) : null,
        t.ProductId,
        t.SegmentId,
        t.Timestamp.UtcDateTime);
}
