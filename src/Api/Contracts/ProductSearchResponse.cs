using System.Globalization;
using ProductEvents.Abstractions.Analytics;

namespace ProductEvents.Api.Contracts;

/// <summary>A page of products passing a search, most events first; <c>next</c> the cursor of the next page (null at the end).</summary>
public sealed record ProductSearchResponse(long Total, IReadOnlyList<ProductResponse> Results, string? Next, long IndexThrough)
{
    public static ProductSearchResponse From(ProductSearchAnswer answer) => new(
        answer.Total,
        [.. answer.Products.Select(p => ProductResponse.From(p))],
        answer.Next?.ToString(CultureInfo.InvariantCulture),
        answer.Index.Through);
}
