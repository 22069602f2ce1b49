namespace ProductEvents.Bench.SegmentBench;

/// <summary>The conditions the benchmark defines: varied live segments, the probe's segment, the one it builds.</summary>
public static class Segments
{
    public const string ProbeCategory = "probe";

    /// <summary>A contact joins it with one "add to cart" of the probe product; no random event matches it.</summary>
    public const string Probe = """{"event":{"types":["add to cart"],"product":{"category":{"eq":"probe"}}}}""";

    /// <summary>Interested in shoes, or put a cheap product in the cart or bought it: about 40% of the contacts.</summary>
    public const string Build =
        """{"any":[{"event":{"types":["view","detail","liking"],"product":{"category":{"eq":"shoes"}}}},{"event":{"types":["add to cart","purchase"],"product":{"price":{"lt":300}}}}]}""";

    public static readonly (string Name, string Condition)[] Live =
    [
        ("viewed anything", """{"event":{"types":["view"]}}"""),
        ("interested in shoes", """{"event":{"types":["view","detail","liking"],"product":{"category":{"eq":"shoes"}}}}"""),
        ("bought under 100", """{"event":{"types":["purchase"],"product":{"price":{"lt":100}}}}"""),
        ("cart, not bought in 3 h", """{"event":{"types":["add to cart"],"within":"P7D","not_followed_by":{"types":["purchase"],"within":"PT3H"}}}"""),
        ("cart, never bought that product", """{"event":{"types":["add to cart"],"not_followed_by":{"types":["purchase"]}}}"""),
        ("3+ views in an hour", """{"event":{"types":["view"],"within":"PT1H","count":{"gte":3}}}"""),
        ("viewed tv, bought nothing", """{"all":[{"event":{"types":["view"],"product":{"category":{"eq":"tv"}}}},{"not":{"event":{"types":["purchase"]}}}]}"""),
        ("bought promo", """{"event":{"types":["purchase","order"],"product":{"promo":{"eq":true}}}}"""),
        ("detail 500-800 in 7 days", """{"event":{"types":["detail"],"product":{"price":{"gte":500,"lte":800}},"within":"P7D"}}"""),
        ("books or toys, 30 min", """{"event":{"types":["click","detail"],"product":{"category":{"in":["books","toys"]}},"within":"PT30M"}}"""),
        ("exactly one purchase", """{"event":{"types":["purchase"],"count":{"eq":1}}}"""),
        ("name contains 99", """{"event":{"types":["view","detail"],"product":{"name":{"contains":"99"}}}}"""),
        ("bought, no refund", """{"all":[{"event":{"types":["purchase"]}},{"not":{"event":{"types":["refund","return"]}}}]}"""),
        ("2+ checkouts in 10 min", """{"event":{"types":["checkout"],"within":"PT10M","count":{"gte":2}}}"""),
        ("liked expensive, not garden", """{"event":{"types":["liking"],"product":{"category":{"ne":"garden"},"price":{"gt":900}}}}"""),
        ("bought a product with promo set", """{"event":{"types":["purchase"],"product":{"promo":{"exists":true}}}}"""),
        ("ordered since 2020", """{"event":{"types":["order"],"since":"2020-01-01T00:00:00Z"}}"""),
        ("returned within a day", """{"event":{"types":["return"],"within":"P1D"}}"""),
        ("observed kitchen, not bought in 1 h", """{"event":{"types":["add to observation"],"product":{"category":{"eq":"kitchen"}},"not_followed_by":{"types":["purchase"],"within":"PT1H"}}}"""),
    ];
}
