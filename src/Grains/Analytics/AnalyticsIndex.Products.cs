using ProductEvents.Abstractions.Analytics;
using ProductEvents.Grains.Segments;

namespace ProductEvents.Grains.Analytics;

public sealed partial class AnalyticsIndex
{
    /// <summary>
    /// The products that pass every filter (the segment language's product filters, on their current data) and whose
    /// id or name holds <paramref name="text"/> (ignoring case), most events first and then by id; the page starts at
    /// <paramref name="cursor"/> in that order. The total is exact: every product is looked at.
    /// </summary>
    public ProductSearchAnswer SearchProducts(IndexState state, IReadOnlyList<ProductFilter> filters, string? text, int limit, int cursor)
    {
        var found = new List<(long Events, int Product)>();
        for (var p = 0; p < _products.Count; p++)
        {
            if (Snapshot(p) is { } snapshot
                && (filters.Count == 0 || ProductFilterMatcher.PassesAll(filters, _products[p], snapshot))
                && (string.IsNullOrEmpty(text)
                    || _products[p].Contains(text, StringComparison.OrdinalIgnoreCase)
                    || snapshot.Name?.Contains(text, StringComparison.OrdinalIgnoreCase) == true))
            {
                found.Add((snapshot.EventCounts.Values.Sum(), p));
            }
        }

        found.Sort((a, b) => a.Events != b.Events ? b.Events.CompareTo(a.Events) : string.CompareOrdinal(_products[a.Product], _products[b.Product]));
        var start = Math.Min(Math.Max(cursor, 0), found.Count);
        var end = Math.Min(start + limit, found.Count);
        var page = new List<ProductSnapshot>(end - start);
        for (var i = start; i < end; i++)
        {
            page.Add(Snapshot(found[i].Product)!);
        }

        return new ProductSearchAnswer(state, [], page, end < found.Count ? end : null, found.Count);
    }
}
