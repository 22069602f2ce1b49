using ProductEvents.Abstractions.Automations;
using ProductEvents.Abstractions.Segments;

namespace ProductEvents.Api.Privacy;

/// <summary>What an export holds besides the events (which <see cref="ContactExportResult"/> reads as it writes).</summary>
public sealed class ContactExport(string appId, string userId, long? number, DateTimeOffset exportedAt, IReadOnlyList<string> visitorKeys, ContactSnapshot? summary)
{
    public string AppId { get; } = appId;

    public string UserId { get; } = userId;

    /// <summary>The contact's integer id, if it was given one.</summary>
    public long? Number { get; } = number;

    public DateTimeOffset ExportedAt { get; } = exportedAt;

    public IReadOnlyList<string> VisitorKeys { get; } = visitorKeys;

    public ContactSnapshot? Summary { get; } = summary;

    public List<Membership> Segments { get; } = [];

    public List<(string SegmentId, SegmentChange Change)> SegmentChanges { get; } = [];

    public List<RunRecord> Runs { get; } = [];

    public List<Delivery> Deliveries { get; } = [];

    /// <param name="UserKey">Set when the membership is a merged visitor's own.</param>
    public sealed record Membership(string SegmentId, string? Name, string? UserKey, DateTimeOffset Since);
}
