using ProductEvents.Abstractions.Segments;

namespace ProductEvents.Storage.Segments;

/// <summary>
/// Where segment memberships live: a table in durable mode (so a segment of millions of contacts is no grain's
/// state), a dictionary in the embedded default. Members are listed in contact-key order for stable paging.
/// </summary>
public interface ISegmentMembershipStore
{
    /// <summary>Applies changes idempotently: a join of a member or a leave of a non-member changes nothing and is not recorded.</summary>
    Task ApplyAsync(string appId, string segmentId, IReadOnlyList<MembershipChange> changes, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<SegmentMember>> ListAsync(string appId, string segmentId, string? afterContactKey, int limit, CancellationToken cancellationToken = default);

    /// <summary>The segments <paramref name="contact"/> is stored as a member of (segment id → since), deleted ones included.</summary>
    Task<IReadOnlyDictionary<string, DateTimeOffset>> SegmentsOfAsync(string appId, ContactRef contact, CancellationToken cancellationToken = default);

    Task<SegmentMember?> GetAsync(string appId, string segmentId, ContactRef contact, CancellationToken cancellationToken = default);

    Task<long> CountAsync(string appId, string segmentId, CancellationToken cancellationToken = default);

    /// <summary>Joins and leaves recorded at or after <paramref name="since"/>, oldest first, after change number <paramref name="afterNumber"/>.</summary>
    Task<IReadOnlyList<SegmentChange>> ChangesAsync(string appId, string segmentId, DateTimeOffset? since, long afterNumber, int limit, CancellationToken cancellationToken = default);

    Task DeleteSegmentAsync(string appId, string segmentId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The contacts leave every segment (a leave marked <see cref="SegmentChange.Erased"/> is recorded, stamped
    /// <paramref name="at"/>) and their earlier joins and leaves are deleted; answers how many memberships ended.
    /// </summary>
    Task<int> EraseContactsAsync(string appId, IReadOnlyList<ContactRef> contacts, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>The contact's joins and leaves in every segment, oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<(string SegmentId, SegmentChange Change)>> ChangesOfAsync(string appId, ContactRef contact, int limit, CancellationToken cancellationToken = default);
}
