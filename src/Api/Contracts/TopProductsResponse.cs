using System.Text.Json.Serialization;

namespace ProductEvents.Api.Contracts;

/// <summary>The products with the most events of a type in a range (with <c>abandoned_within</c>: not followed by a purchase).</summary>
public sealed record TopProductsResponse(
    string EventType,
    DateTimeOffset Since,
    DateTimeOffset Until,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AbandonedWithin,
    IReadOnlyList<TopProductResponse> Results);

public sealed record TopProductResponse(string ProductId, long Count, string? Name, IReadOnlyDictionary<string, AttributeValue> Attributes);
