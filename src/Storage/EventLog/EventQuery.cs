namespace ProductEvents.Storage.EventLog;

/// <summary>A listing of one app's events, newest event time first; every filter is optional.</summary>
public sealed record EventQuery(
    string AppId,
    string? ProductId,
    string? UserId,
    string? UserKey,
    ProductEventType? Type,
    DateTimeOffset? Since,
    DateTimeOffset? Until,
    int Limit,
    EventCursor? After)
{
    public bool Matches(ProductEventRecord e) =>
        e.AppId == AppId
        && (ProductId is null || e.ProductId == ProductId)
        && (UserId is null || e.UserId == UserId)
        && (UserKey is null || e.UserKey == UserKey)
        && (Type is null || e.EventType == Type)
        && (Since is null || e.Timestamp >= Since)
        && (Until is null || e.Timestamp < Until)
        && (After is null || After.Value.IsBefore(e.Timestamp, e.Seq));
}
