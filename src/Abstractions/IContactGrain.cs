namespace ProductEvents.Abstractions;

/// <summary>One contact of one app, keyed by <see cref="GrainKeys.Contact"/>; keeps a bounded summary, never every event.</summary>
[Alias("pe.IContactGrain")]
public interface IContactGrain : IGrainWithStringKey
{
    /// <summary>Applies committed log entries for this contact, in log order; entries already applied are skipped.</summary>
    [Alias("Apply")]
    Task ApplyAsync(ProductEventRecord[] events);

    /// <summary>
    /// Merges the anonymous visitors whose keys now belong to this contact (identify): their events, earlier and
    /// later, count as this contact's. Calling it again merges only keys added since.
    /// </summary>
    [Alias("MergeVisitors")]
    Task MergeVisitorsAsync();

    /// <summary>The contact's interactions, or null when it has no event.</summary>
    [Alias("Get")]
    Task<ContactSnapshot?> GetAsync();
}
