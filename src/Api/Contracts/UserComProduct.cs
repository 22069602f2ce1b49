using ProductEvents.Abstractions;

namespace ProductEvents.Api.Contracts;

/// <summary>A product as the User.com-style details endpoint shows it: found by the shop's id (<c>custom_id</c>).</summary>
public sealed record UserComProduct(
    string CustomId,
    string? Name,
    IReadOnlyDictionary<string, AttributeValue> Attributes,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyDictionary<string, long> EventCounts)
{
    public static UserComProduct From(ProductSnapshot product)
    {
        var native = ProductResponse.From(product);
        return new UserComProduct(native.ProductId, native.Name, native.Attributes, native.CreatedAt, native.UpdatedAt, native.EventCounts);
    }
}
