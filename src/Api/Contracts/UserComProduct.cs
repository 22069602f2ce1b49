namespace ProductEvents.Api.Contracts;

/// <summary>A product as the User.com-style details endpoints show it: its integer <c>id</c> and the shop's <c>custom_id</c>.</summary>
public sealed record UserComProduct(
    long Id,
    string CustomId,
    string? Name,
    IReadOnlyDictionary<string, AttributeValue> Attributes,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyDictionary<string, long> EventCounts)
{
    public static UserComProduct From(ProductSnapshot product, long id)
    {
        var native = ProductResponse.From(product);
        return new UserComProduct(id, native.ProductId, native.Name, native.Attributes, native.CreatedAt, native.UpdatedAt, native.EventCounts);
    }
}
