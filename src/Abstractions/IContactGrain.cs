namespace ProductEvents.Abstractions;

/// <summary>One contact of one app, keyed by <see cref="GrainKeys.Contact"/>; keeps a bounded summary, never every event.</summary>
[Alias("pe.IContactGrain")]
public interface IContactGrain : IGrainWithStringKey
{
    /// <summary>
    /// Merges the anonymous visitors whose keys now belong to this contact (identify): their events, earlier and
    /// later, count as this contact's. Calling it again merges only keys added since.
    /// </summary>
    [Alias("MergeVisitors")]
    Task MergeVisitorsAsync();

    /// <summary>The contact's interactions, or null when it has no event.</summary>
    [Alias("Get")]
    Task<ContactSnapshot?> GetAsync();

    /// <summary>
    /// Evaluates the app's segments again (a window expired, a product changed, a segment is being built). With
    /// <paramref name="reassert"/>, the memberships stored for the contact are read and every one that differs from the
    /// evaluation is sent as well, not only the contact's own changes: after a crash that may have lost changes in
    /// flight.
    /// </summary>
    [Alias("Reevaluate")]
    Task ReevaluateAsync(bool reassert);

    /// <summary>
    /// Evaluates the app's segments as <see cref="ReevaluateAsync"/> does, for version <paramref name="version"/> of the
    /// build of segment <paramref name="segmentId"/>, and answers the build on that segment's stream: the change, or a
    /// message saying there is none. Completes once that answer is published, after every change the contact published
    /// before it, so a build that has received every answer has received every change.
    /// </summary>
    [Alias("EvaluateForBuild")]
    Task EvaluateForBuildAsync(string segmentId, int version);

    /// <summary>The segments this contact belongs to.</summary>
    [Alias("GetSegments")]
    Task<IReadOnlyList<Segments.ContactSegment>> GetSegmentsAsync();
}
