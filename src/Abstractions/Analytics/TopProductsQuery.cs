namespace ProductEvents.Abstractions.Analytics;

/// <summary>
/// The products with the most events of <see cref="Type"/> with an event time in [<see cref="Since"/>,
/// <see cref="Until"/>). With <see cref="AbandonedWithin"/>: only those events not followed, within that time, by one of
/// <see cref="AbandonedUnlessTypes"/> of the same contact on the same product ("added to cart and not purchased").
/// </summary>
[GenerateSerializer, Immutable, Alias("pe.an.TopProductsQuery")]
public sealed record TopProductsQuery(
    [property: Id(0)] ProductEventType Type,
    [property: Id(1)] DateTimeOffset Since,
    [property: Id(2)] DateTimeOffset Until,
    [property: Id(3)] int Limit,
    [property: Id(4)] TimeSpan? AbandonedWithin,
    [property: Id(5)] IReadOnlyList<ProductEventType> AbandonedUnlessTypes);

[GenerateSerializer, Immutable, Alias("pe.an.TopProductsAnswer")]
public sealed record TopProductsAnswer(
    [property: Id(0)] IndexState Index,
    [property: Id(1)] IReadOnlyList<TopProduct> Products);

/// <summary>A product, its count and its current name and attributes.</summary>
[GenerateSerializer, Immutable, Alias("pe.an.TopProduct")]
public sealed record TopProduct(
    [property: Id(0)] string ProductId,
    [property: Id(1)] long Count,
    [property: Id(2)] string? Name,
    [property: Id(3)] IReadOnlyDictionary<string, AttributeValue> Attributes);
