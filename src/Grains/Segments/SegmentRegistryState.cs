using ProductEvents.Abstractions.Segments;

namespace ProductEvents.Grains.Segments;

[GenerateSerializer, Alias("pe.SegmentRegistryState")]
public sealed class SegmentRegistryState
{
    [Id(0)] public Dictionary<string, SegmentInfo> Segments { get; set; } = new(StringComparer.Ordinal);

    [Id(1)] public long Version { get; set; }

    /// <summary>Deleted segments whose grain has not confirmed yet that their membership rows are gone.</summary>
    [Id(2)] public HashSet<string> Deleting { get; set; } = new(StringComparer.Ordinal);
}
