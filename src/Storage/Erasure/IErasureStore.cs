namespace ProductEvents.Storage.Erasure;

/// <summary>
/// The durable record of contact erasures (table <c>contact_erasures</c> in durable mode): written before anything is
/// erased, advanced step by step, taken by one worker at a time under a lease, so an erasure a crash interrupted is
/// resumed by whichever silo looks next.
/// </summary>
public interface IErasureStore
{
    /// <summary>
    /// Records the erasure of <paramref name="userId"/> and the given visitors, due at once. An erasure of the contact that
    /// is not done yet is answered as it is (its visitors stay those it was requested with); a done one starts again.
    /// </summary>
    Task<ContactErasure> RequestAsync(string appId, string userId, IReadOnlyList<string> visitorKeys, DateTimeOffset now, CancellationToken cancellationToken = default);

    Task<ContactErasure?> GetAsync(string appId, string userId, CancellationToken cancellationToken = default);

    /// <summary>Erasures not done whose lease has ended (or that never had one), oldest first, leased until <paramref name="leaseUntil"/>.</summary>
    Task<IReadOnlyList<ContactErasure>> ClaimAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken = default);

    /// <summary>Records the erasure's progress and holds its lease until <paramref name="leaseUntil"/> (null releases it).</summary>
    Task SaveAsync(ContactErasure erasure, DateTimeOffset? leaseUntil, CancellationToken cancellationToken = default);

    /// <summary>Deletes the records of erasures done before <paramref name="before"/>; answers how many.</summary>
    Task<int> DeleteDoneAsync(DateTimeOffset before, CancellationToken cancellationToken = default);
}
