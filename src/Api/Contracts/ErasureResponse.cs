using ProductEvents.Storage.Erasure;

namespace ProductEvents.Api.Contracts;

/// <summary>
/// An erasure of a contact: <c>status</c> <c>done</c> or <c>pending</c> (at <c>step</c>); what it erased so far:
/// entries of the log, merged visitors, memberships ended, waiting runs cancelled, webhooks dropped before they were sent.
/// </summary>
public sealed record ErasureResponse(
    string UserId,
    string Status,
    string Step,
    DateTimeOffset RequestedAt,
    DateTimeOffset? DoneAt,
    long Events,
    int Visitors,
    int Segments,
    int Runs,
    int Deliveries,
    int Attempts,
    string? LastError)
{
    public static ErasureResponse From(ContactErasure e) => new(
        e.UserId,
        e.IsDone ? "done" : "pending",
        e.Step.ToString().ToLowerInvariant(),
        e.RequestedAt,
        e.DoneAt,
        e.Events,
        e.VisitorKeys.Count,
        e.Segments,
        e.Runs,
        e.Deliveries,
        e.Attempts,
        e.LastError);
}
