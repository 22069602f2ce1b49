using ProductEvents.Grains.Projections;

namespace ProductEvents.Grains.Products;

[GenerateSerializer, Alias("pe.ProductState")]
public sealed class ProductState : IProjectionState
{
    [Id(0)] public long AppliedSeq { get; set; }

    [Id(1)] public StampedValue? Name { get; set; }

    [Id(2)] public Dictionary<string, StampedValue> Attributes { get; set; } = new(StringComparer.Ordinal);

    [Id(3)] public DateTimeOffset? CreatedAt { get; set; }

    [Id(4)] public DateTimeOffset UpdatedAt { get; set; }

    [Id(5)] public Dictionary<ProductEventType, long> EventCounts { get; set; } = [];
}
