namespace ProductEvents.Abstractions.Segments;

/// <summary>The segment definitions of one app, keyed by app id. Changes here start a build of the segment.</summary>
[Alias("pe.ISegmentRegistryGrain")]
public interface ISegmentRegistryGrain : IGrainWithStringKey
{
    /// <summary>Validates the condition (errors name their path) and, when valid, stores it and starts the build.</summary>
    [Alias("Create")]
    Task<SegmentWriteResult> CreateAsync(string name, string conditionJson);

    /// <summary>Like <see cref="CreateAsync"/>, for an existing segment; null when the segment does not exist.</summary>
    [Alias("Update")]
    Task<SegmentWriteResult?> UpdateAsync(string segmentId, string name, string conditionJson);

    /// <summary>Removes the definition at once; the segment grain deletes its membership rows right after, on its own.</summary>
    [Alias("Delete")]
    Task<bool> DeleteAsync(string segmentId);

    /// <summary>The segment grain of a deleted segment has deleted its rows: the registry stops asking it to.</summary>
    [Alias("SegmentDeleted")]
    Task SegmentDeletedAsync(string segmentId);

    [Alias("Get")]
    Task<SegmentInfo?> GetAsync(string segmentId);

    [Alias("List")]
    Task<IReadOnlyList<SegmentInfo>> ListAsync();

    /// <summary>Bumped by every create, update and delete: silos compare it to refresh their cached definitions.</summary>
    [Alias("GetVersion")]
    Task<long> GetVersionAsync();

    /// <summary>Records a build's progress; false when that segment version is gone (edited or deleted) and the build should stop.</summary>
    [Alias("ReportBuild")]
    Task<bool> ReportBuildAsync(string segmentId, int version, double progress, bool done);
}
