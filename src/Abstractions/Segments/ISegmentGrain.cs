namespace ProductEvents.Abstractions.Segments;

/// <summary>
/// One segment, keyed by "{app}/{segmentId}": receives membership changes from contacts on a stream, records them in
/// the membership store, and builds the segment from existing contacts when it is created or edited.
/// In-cluster .NET clients can ask it about membership directly.
/// </summary>
[Alias("pe.ISegmentGrain")]
public interface ISegmentGrain : IGrainWithStringKey
{
    /// <summary>
    /// Evaluates every existing contact against definition <paramref name="version"/>, in the background. One-way: the
    /// caller (the registry) never waits on a build, whose contacts read the registry.
    /// </summary>
    [Alias("StartBuild"), Orleans.Concurrency.OneWay]
    Task StartBuildAsync(int version);

    [Alias("IsMember")]
    Task<SegmentMember?> GetMemberAsync(ContactRef contact);

    [Alias("Count")]
    Task<long> CountAsync();

    [Alias("Members")]
    Task<IReadOnlyList<SegmentMember>> ListMembersAsync(string? afterContactKey, int limit);

    /// <summary>
    /// The segment's change feed as stored: joins and leaves numbered after <paramref name="afterNumber"/>, oldest first.
    /// A reader that keeps the last number it saw resumes where it stopped, across restarts of either side.
    /// </summary>
    [Alias("Changes")]
    Task<IReadOnlyList<SegmentChange>> ListChangesAsync(long afterNumber, int limit);

    /// <summary>
    /// The segment was deleted: changes still on their way are dropped from now on, its build stops, and its membership
    /// rows are deleted; then it tells the registry (<see cref="ISegmentRegistryGrain.SegmentDeletedAsync"/>). One-way,
    /// like <see cref="StartBuildAsync"/>.
    /// </summary>
    [Alias("Delete"), Orleans.Concurrency.OneWay]
    Task DeleteAsync();

    /// <summary>Writes the changes received so far to the membership store (they are otherwise written within 100 ms).</summary>
    [Alias("Flush")]
    Task FlushAsync();
}
