namespace ProductEvents.Grains.Segments;

/// <summary>Where a segment's build stands, kept so a restart resumes it instead of starting over.</summary>
[GenerateSerializer, Alias("pe.SegmentBuildState")]
public sealed class SegmentBuildState
{
    [Id(0)] public int Version { get; set; }

    /// <summary>The contact key the build has walked up to.</summary>
    [Id(1)] public string? Cursor { get; set; }

    [Id(2)] public long Processed { get; set; }

    [Id(3)] public long Total { get; set; }

    [Id(4)] public bool Done { get; set; } = true;

    /// <summary>The segment was deleted; membership changes that still arrive are dropped.</summary>
    [Id(5)] public bool Deleted { get; set; }

    /// <summary>The deleted segment's membership rows are gone and the registry was told.</summary>
    [Id(6)] public bool RowsDeleted { get; set; }
}
