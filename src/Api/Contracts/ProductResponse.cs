using System.Text.Json.Serialization;

namespace ProductEvents.Api.Contracts;

/// <summary>A product's latest attributes; <c>id</c> is its integer id (the one the User.com-compatible layer uses).</summary>
public sealed record ProductResponse(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Id,
    string ProductId,
    string? Name,
    IReadOnlyDictionary<string, AttributeValue> Attributes,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyDictionary<string, long> EventCounts)
{
    public static ProductResponse From(ProductSnapshot product, long? id = null) => new(
        id,
        product.ProductId,
        product.Name,
        product.Attributes,
        product.CreatedAt,
        product.UpdatedAt,
        product.EventCounts.OrderBy(c => c.Key).ToDictionary(c => ProductEventTypes.Name(c.Key), c => c.Value));
}
