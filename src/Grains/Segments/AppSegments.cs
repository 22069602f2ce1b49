namespace ProductEvents.Grains.Segments;

/// <summary>An app's segments as one silo caches them, with the product fields their conditions filter on.</summary>
public sealed record AppSegments(long Version, IReadOnlyList<CompiledSegment> Segments, IReadOnlySet<string> ProductFields)
{
    public static AppSegments Empty { get; } = new(0, [], new HashSet<string>());
}
