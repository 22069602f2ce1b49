using ProductEvents.Abstractions;

namespace ProductEvents.Api.Contracts;

public sealed record ProductResponse(
    string ProductId,
    string? Name,
    IReadOnlyDictionary<string, AttributeValue> Attributes,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyDictionary<string, long> EventCounts)
{
    public static ProductResponse From(ProductSnapshot product) => new(
        product.ProductId,
        product.Name,
        product.Attributes,
        product.CreatedAt,
        product.UpdatedAt,
        product.EventCounts.OrderBy(c => c.Key).ToDictionary(c => ProductEventTypes.Name(c.Key), c => c.Value));
}
