namespace ProductEvents.Storage.Erasure;

/// <summary>
/// One erasure of a contact (a user id) and the anonymous visitors merged into it when it was requested: how far it
/// got, and what it erased so far.
/// </summary>
public sealed record ContactErasure(
    string AppId,
    string UserId,
    IReadOnlyList<string> VisitorKeys,
    DateTimeOffset RequestedAt,
    ErasureStep Step,
    long Events = 0,
    int Segments = 0,
    int Runs = 0,
    int Deliveries = 0,
    int Attempts = 0,
    string? LastError = null,
    DateTimeOffset? DoneAt = null)
{
    public bool IsDone => Step == ErasureStep.Done;

    /// <summary>The contact and its visitors: every grain and row key the erasure covers.</summary>
    public IReadOnlyList<ContactRef> Contacts => [ContactRef.User(UserId), .. VisitorKeys.Select(ContactRef.Visitor)];
}
