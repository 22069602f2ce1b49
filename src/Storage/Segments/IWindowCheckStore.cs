using ProductEvents.Abstractions.Segments;

namespace ProductEvents.Storage.Segments;

/// <summary>
/// The durable timer of segment windows: at most one pending check per contact, its earliest. A table in durable mode
/// (a contact that is not active, or whose silo died, is still re-evaluated on time), a dictionary in the embedded
/// default. Window check schedulers claim due checks with a lease, so two silos never hold the same check at once.
/// </summary>
public interface IWindowCheckStore
{
    /// <summary>Sets the contact's check to <paramref name="dueAt"/>, replacing the one stored; null removes it.</summary>
    Task WriteAsync(string appId, ContactRef contact, DateTimeOffset? dueAt);

    /// <summary>
    /// Checks due at <paramref name="now"/> that no scheduler holds, earliest due first, held until
    /// <paramref name="leaseUntil"/>: a scheduler that dies holding them lets another take them after that.
    /// </summary>
    Task<IReadOnlyList<WindowCheck>> ClaimDueAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes claimed checks that were done. A check the contact moved since the claim (another due time) stays: the
    /// contact wrote its next check while it was being re-evaluated.
    /// </summary>
    Task CompleteAsync(IReadOnlyList<WindowCheck> checks, CancellationToken cancellationToken = default);
}
