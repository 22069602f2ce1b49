using ProductEvents.Abstractions.Segments;

namespace ProductEvents.Abstractions.Analytics;

/// <summary>
/// A page of the products that pass a search's filters, most events first (then by id), the cursor of the next page
/// (null at the end) and how many products pass in all.
/// </summary>
[GenerateSerializer, Immutable, Alias("pe.an.ProductSearchAnswer")]
public sealed record ProductSearchAnswer(
    [property: Id(0)] IndexState Index,
    [property: Id(1)] IReadOnlyList<DefinitionError> Errors,
    [property: Id(2)] IReadOnlyList<ProductSnapshot> Products,
    [property: Id(3)] int? Next,
    [property: Id(4)] long Total);
