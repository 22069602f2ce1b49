namespace ProductEvents.Abstractions.Analytics;

/// <summary>
/// One app's analytics (key: the app id): counts over time, funnels, top products and ad-hoc contact searches, answered
/// from an in-memory index of the app's log entries that the log's writer keeps current. Read-only.
/// </summary>
[Alias("pe.IAnalyticsGrain")]
public interface IAnalyticsGrain : IGrainWithStringKey
{
    [Alias("Counts")]
    Task<CountsAnswer> CountsAsync(CountsQuery query);

    /// <summary>A funnel definition as JSON (steps, within, since, until, same_product, breakdown); errors name their path.</summary>
    [Alias("Funnel")]
    Task<FunnelAnswer> FunnelAsync(string definitionJson);

    [Alias("TopProducts")]
    Task<TopProductsAnswer> TopProductsAsync(TopProductsQuery query);

    /// <summary>
    /// The contacts matching a condition of the segment language now, in the index's contact order from
    /// <paramref name="cursor"/> (0 first), at most <paramref name="limit"/>, with a total (exact or estimated).
    /// </summary>
    [Alias("SearchContacts")]
    Task<ContactSearchAnswer> SearchContactsAsync(string conditionJson, int limit, int cursor);

    /// <summary>
    /// The products passing <paramref name="productFiltersJson"/> (an event node's <c>product</c> filters; null: all)
    /// whose id or name holds <paramref name="text"/>, most events first, from <paramref name="cursor"/>.
    /// </summary>
    [Alias("SearchProducts")]
    Task<ProductSearchAnswer> SearchProductsAsync(string? productFiltersJson, string? text, int limit, int cursor);
}
