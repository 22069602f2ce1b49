namespace ProductEvents.Abstractions;

/// <summary>
/// One contact of one app, keyed by <see cref="GrainKeys.Contact"/>; keeps a bounded summary, never every event. Reads,
/// plus the merge the identify endpoint asks for, which only folds in what the log's alias records say. The silo's own
/// calls (applying entries, re-evaluating segments) are on an internal interface of the grains.
/// </summary>
[Alias("pe.IContactGrain")]
public interface IContactGrain : IGrainWithStringKey
{
    /// <summary>
    /// Merges the anonymous visitors whose keys now belong to this contact (identify): their events, earlier and
    /// later, count as this contact's. Calling it again merges only keys added since. It reads the log (the alias
    /// records and the entries after the contact's position) and changes nothing the log does not imply.
    /// </summary>
    [Alias("MergeVisitors")]
    Task MergeVisitorsAsync();

    /// <summary>The contact's interactions, or null when it has no event.</summary>
    [Alias("Get")]
    Task<ContactSnapshot?> GetAsync();

    /// <summary>The segments this contact belongs to.</summary>
    [Alias("GetSegments")]
    Task<IReadOnlyList<Segments.ContactSegment>> GetSegmentsAsync();
}
