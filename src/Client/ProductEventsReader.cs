using System.Runtime.CompilerServices;
using ProductEvents.Abstractions.Segments;

namespace ProductEvents.Client;

/// <summary>
/// What an in-cluster client reads: products, contacts, segments, their members and their change feeds. Every call is
/// a read; nothing here changes the cluster's state, which only the event log's apply path does. A read shows what
/// the grains hold: an event acknowledged a moment ago may not be applied yet.
/// </summary>
public sealed class ProductEventsReader(IClusterClient cluster, TimeProvider clock)
{
    /// <summary>How many members or changes one call asks a segment for.</summary>
    public const int PageSize = 1_000;

    /// <summary>The product with the newest value of each attribute, or null when no event has created it.</summary>
    public Task<ProductSnapshot?> GetProductAsync(string appId, string productId) =>
        cluster.GetGrain<IProductGrain>(GrainKeys.Product(appId, productId)).GetAsync();

    /// <summary>The contact's interaction summary, or null when it has no event.</summary>
    public Task<ContactSnapshot?> GetContactAsync(string appId, ContactRef contact) =>
        cluster.GetGrain<IContactGrain>(GrainKeys.Contact(appId, contact)).GetAsync();

    /// <summary>The segment's definition and build state, or null when the app has no such segment.</summary>
    public Task<SegmentInfo?> GetSegmentAsync(string appId, string segmentId) =>
        cluster.GetGrain<ISegmentRegistryGrain>(appId).GetAsync(segmentId);

    /// <summary>Whether the contact is a member of the segment, and since when.</summary>
    public Task<SegmentMember?> GetSegmentMemberAsync(string appId, string segmentId, ContactRef contact) =>
        Segment(appId, segmentId).GetMemberAsync(contact);

    /// <summary>Every member of the segment, in contact-key order, read a page at a time.</summary>
    public async IAsyncEnumerable<SegmentMember> ReadSegmentMembersAsync(
        string appId, string segmentId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var segment = Segment(appId, segmentId);
        string? after = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = await segment.ListMembersAsync(after, PageSize);
            foreach (var member in page)
            {
                yield return member;
            }

            if (page.Count < PageSize)
            {
                yield break;
            }

            after = ContactKeys.Of(page[^1].Contact);
        }
    }

    /// <summary>
    /// The segment's joins and leaves as they are recorded, oldest first, from after change <paramref name="afterNumber"/>
    /// (0: from the first) until <paramref name="cancellationToken"/> is cancelled. The feed is stored, so nothing is
    /// missed while the reader is away: keep the last <see cref="SegmentChange.Number"/> and pass it to resume. When
    /// it has caught up, the reader asks again every <paramref name="pollInterval"/> (default 1 s).
    /// </summary>
    public async IAsyncEnumerable<SegmentChange> WatchSegmentAsync(
        string appId, string segmentId, long afterNumber = 0, TimeSpan? pollInterval = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var segment = Segment(appId, segmentId);
        var interval = pollInterval ?? TimeSpan.FromSeconds(1);
        while (!cancellationToken.IsCancellationRequested)
        {
            var changes = await segment.ListChangesAsync(afterNumber, PageSize);
            foreach (var change in changes)
            {
                afterNumber = change.Number;
                yield return change;
            }

            if (changes.Count < PageSize)
            {
                await Task.Delay(interval, clock, cancellationToken);
            }
        }
    }

    private ISegmentGrain Segment(string appId, string segmentId) => cluster.GetGrain<ISegmentGrain>(GrainKeys.Segment(appId, segmentId));
}
