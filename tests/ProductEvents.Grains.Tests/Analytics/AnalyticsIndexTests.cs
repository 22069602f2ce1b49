using System.Text.Json;
using ProductEvents.Abstractions;
using ProductEvents.Abstractions.Analytics;
using ProductEvents.Grains.Analytics;
using ProductEvents.Grains.Segments;

namespace ProductEvents.Grains.Tests.Analytics;

/// <summary>The analytics index against answers computed straight from the entries (the oracle), on generated logs.</summary>
[Trait("Category", "Unit")]
public sealed class AnalyticsIndexTests
{
    private static readonly DateTimeOffset Origin = new(2026, 10, 20, 0, 0, 0, TimeSpan.Zero);
    private static readonly ProductEventType[] Types = [ProductEventType.View, ProductEventType.AddToCart, ProductEventType.Purchase, ProductEventType.Click];

    [Theory]
    [InlineData("UTC", AnalyticsInterval.Hour)]
    [InlineData("Europe/Warsaw", AnalyticsInterval.Hour)]
    [InlineData("Europe/Warsaw", AnalyticsInterval.Day)]
    [InlineData("Asia/Kolkata", AnalyticsInterval.Hour)]
    [InlineData("Asia/Kathmandu", AnalyticsInterval.Day)]
    [InlineData("America/New_York", AnalyticsInterval.Minute)]
    public void CountsPerBucketAreTheEntriesWhoseLocalBucketItIsAcrossADaylightSavingChange(string zoneId, AnalyticsInterval interval)
    {
        // 2026-10-25 ends summer time in Warsaw: that local day lasts 25 hours and 02:00-03:00 happens twice.
        var log = Generate(seed: 7, entries: 3_000, days: 10);
        var index = Build(log);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var (since, until) = interval == AnalyticsInterval.Minute
            ? (Origin.AddDays(5).AddMinutes(7).AddSeconds(13), Origin.AddDays(5).AddHours(9).AddSeconds(41))
            : (Origin.AddHours(3).AddMinutes(20), Origin.AddDays(9).AddMinutes(50));
        var boundaries = TimeBuckets.Boundaries(since, until, interval, zone)!;

        var series = index.Counts(boundaries, new CountsQuery(since, until, interval, zoneId, [], null, null, 10));

        // The range's end moves forward to a whole minute.
        var end = new DateTimeOffset(boundaries[^1], TimeSpan.Zero);
        Assert.Equal(until.AddTicks(TimeSpan.TicksPerMinute - 1 - ((until.UtcTicks + TimeSpan.TicksPerMinute - 1) % TimeSpan.TicksPerMinute)), end);
        var expected = Oracle(log, zone, interval, boundaries[0], end);
        Assert.Equal(expected.Keys.Order(), boundaries[..^1].Where(b => expected.ContainsKey(b)).Order());
        foreach (var s in series)
        {
            for (var i = 0; i < boundaries.Length - 1; i++)
            {
                var want = expected.TryGetValue(boundaries[i], out var byType) ? byType.GetValueOrDefault(s.Type) : 0;
                Assert.True(want == s.Counts[i], $"{s.Type} in bucket {new DateTimeOffset(boundaries[i], TimeSpan.Zero):O}: {s.Counts[i]}, the log says {want}");
            }
        }

        Assert.Equal(log.Count(e => e.Timestamp.UtcTicks >= boundaries[0] && e.Timestamp < end), series.Sum(s => s.Total));
    }

    [Fact]
    public void ALocalDayIsOneBucketEvenWhenItLasts25Hours()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Warsaw");
        var boundaries = TimeBuckets.Boundaries(
            new DateTimeOffset(2026, 10, 24, 12, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 10, 27, 0, 0, 0, TimeSpan.Zero), AnalyticsInterval.Day, zone)!;

        var starts = boundaries[..^1].Select(t => new DateTimeOffset(t, TimeSpan.Zero)).ToArray();

        Assert.Equal(
            [new(2026, 10, 23, 22, 0, 0, TimeSpan.Zero), new(2026, 10, 24, 22, 0, 0, TimeSpan.Zero), new(2026, 10, 25, 23, 0, 0, TimeSpan.Zero), new(2026, 10, 26, 23, 0, 0, TimeSpan.Zero)],
            starts);
    }

    [Fact]
    public void CountsOfOneProductAndPerGroupMatchTheLogAndSmallGroupsAreSummedAsRest()
    {
        var log = Generate(seed: 11, entries: 2_000, days: 3);
        var index = Build(log);
        var (since, until) = (Origin, Origin.AddDays(3));
        var boundaries = TimeBuckets.Boundaries(since, until, AnalyticsInterval.Day, TimeZoneInfo.Utc)!;

        var product = index.Counts(boundaries, new CountsQuery(since, until, AnalyticsInterval.Day, "UTC", [ProductEventType.View], "p3", null, 10));
        var grouped = index.Counts(boundaries, new CountsQuery(since, until, AnalyticsInterval.Day, "UTC", [ProductEventType.View], null, "category", 2));

        var views = log.Where(e => e.EventType == ProductEventType.View).ToList();
        Assert.Equal(views.Count(e => e.ProductId == "p3"), Assert.Single(product).Total);
        var byCategory = views.GroupBy(e => Category(e.ProductId)).ToDictionary(g => g.Key, g => g.LongCount());
        var kept = byCategory.OrderByDescending(c => c.Value).Take(2).ToList();
        Assert.Equal(3, grouped.Count);
        foreach (var (category, count) in kept)
        {
            Assert.Equal(count, grouped.Single(s => s.Group?.Text == category).Total);
        }

        Assert.Equal(byCategory.Values.Sum() - kept.Sum(k => k.Value), grouped.Single(s => s.Rest).Total);
    }

    [Fact]
    public void AForgottenContactLeavesEveryCountAndAMergedVisitorCountsAsItsUser()
    {
        var index = new AnalyticsIndex();
        index.Add(Entry(1, "p1", ProductEventType.View, Origin, user: null, key: "k1"), ContactRef.Visitor("k1"));
        index.Add(Entry(2, "p1", ProductEventType.AddToCart, Origin.AddMinutes(1), user: null, key: "k1"), ContactRef.Visitor("k1"));
        index.Add(Entry(3, "p1", ProductEventType.Purchase, Origin.AddMinutes(2), user: "u1", key: null), ContactRef.User("u1"));
        index.Add(Entry(4, "p2", ProductEventType.View, Origin.AddMinutes(3), user: "u2", key: null), ContactRef.User("u2"));
        var funnel = Funnel("""{"steps":[{"types":["view"]},{"types":["add to cart"]},{"types":["purchase"]}],"since":"2026-10-20T00:00:00Z","until":"2026-10-21T00:00:00Z"}""");

        Assert.Equal([2L, 1, 0], index.Funnel(funnel).Steps.Select(s => s.Contacts));
        index.MergeVisitor("k1", "u1");
        Assert.Equal([2L, 1, 1], index.Funnel(funnel).Steps.Select(s => s.Contacts));
        Assert.Equal(2, index.LiveContacts);

        Assert.Equal(3, index.ForgetContact(ContactRef.User("u1")));
        var boundaries = TimeBuckets.Boundaries(Origin, Origin.AddDays(1), AnalyticsInterval.Day, TimeZoneInfo.Utc)!;
        var counts = index.Counts(boundaries, new CountsQuery(Origin, Origin.AddDays(1), AnalyticsInterval.Day, "UTC", [], null, null, 10));
        Assert.Equal(1, counts.Sum(s => s.Total));
        Assert.Equal([1L, 0, 0], index.Funnel(funnel).Steps.Select(s => s.Contacts));
        Assert.Equal(1, index.LiveContacts);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AFunnelCountsEachContactByItsAttemptThatGoesFurthestAsAnExhaustiveSearchDoes(bool sameProduct)
    {
        var log = Generate(seed: 23, entries: 4_000, days: 4, contacts: 300);
        var index = Build(log);
        var within = TimeSpan.FromHours(20);
        var (since, until) = (Origin.AddDays(1), Origin.AddDays(3));
        var funnel = Funnel(
            """{"steps":[{"types":["view"]},{"types":["add to cart"],"product":{"category":{"ne":"c0"}}},{"types":["purchase"]}],"within":"PT20H","""
            + $"\"since\":\"{since:O}\",\"until\":\"{until:O}\",\"same_product\":{(sameProduct ? "true" : "false")}}}");

        var steps = index.Funnel(funnel).Steps;
        var split = index.Funnel(funnel, parallelFrom: 1).Steps;

        Assert.Equal(steps, split);
        var byCategory = Funnel(
            """{"steps":[{"types":["view"]},{"types":["purchase"]}],"breakdown":"category","since":"2026-10-20T00:00:00Z","until":"2026-10-24T00:00:00Z"}""");
        var whole = index.Funnel(byCategory).Breakdown;
        Assert.Equal(4, whole.Count);
        Assert.Equal(whole.Select(g => (g.Group, g.Steps[0].Contacts, g.Steps[1].Contacts)), index.Funnel(byCategory, parallelFrom: 1).Breakdown.Select(g => (g.Group, g.Steps[0].Contacts, g.Steps[1].Contacts)));
        var reached = log.GroupBy(e => e.UserId!).Select(c => Furthest(c.OrderBy(e => e.Timestamp).ThenBy(e => e.Seq).ToList(), since, until, within, sameProduct)).ToList();
        for (var s = 0; s < 3; s++)
        {
            Assert.Equal(reached.Count(r => r > s), steps[s].Contacts);
        }

        Assert.True(steps[1].Contacts > 0 && steps[2].Contacts > 0, "the generated log should reach every step");
    }

    [Fact]
    public void TheMedianTimeBetweenStepsIsTakenFromEachContactsCountedAttempt()
    {
        var index = new AnalyticsIndex();
        var seq = 0L;
        foreach (var (user, minutesToCart) in new[] { ("a", 10), ("b", 20), ("c", 60) })
        {
            index.Add(Entry(++seq, "p1", ProductEventType.View, Origin, user, null), ContactRef.User(user));
            index.Add(Entry(++seq, "p1", ProductEventType.AddToCart, Origin.AddMinutes(minutesToCart), user, null), ContactRef.User(user));
        }

        // A late view, stored after the cart, still enters before it by event time.
        index.Add(Entry(++seq, "p1", ProductEventType.AddToCart, Origin.AddMinutes(30), "d", null), ContactRef.User("d"));
        index.Add(Entry(++seq, "p1", ProductEventType.View, Origin.AddMinutes(25), "d", null), ContactRef.User("d"));

        var steps = index.Funnel(Funnel("""{"steps":[{"types":["view"]},{"types":["add to cart"]}],"since":"2026-10-19T00:00:00Z","until":"2026-10-21T00:00:00Z"}""")).Steps;

        Assert.Equal(4, steps[1].Contacts);
        Assert.Equal(15 * 60, steps[1].MedianSecondsFromPrevious); // 5, 10, 20 and 60 minutes
        Assert.Null(steps[0].MedianSecondsFromPrevious);
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(1)]
    [InlineData(977)]
    public void TopProductsAreTheMostCountedAndAbandonedOnesHaveNoPurchaseWithinTheWindow(int parallelFrom)
    {
        var log = Generate(seed: 31, entries: 5_000, days: 5, contacts: 400);
        var index = Build(log);
        var (since, until) = (Origin.AddDays(1), Origin.AddDays(4));
        var window = TimeSpan.FromHours(6);
        var now = Origin.AddDays(10);

        var top = index.TopProducts(new TopProductsQuery(ProductEventType.View, since, until, 5, null, []), now, parallelFrom);
        var abandoned = index.TopProducts(new TopProductsQuery(ProductEventType.AddToCart, since, until, 5, window, [ProductEventType.Purchase]), now, parallelFrom);

        var inRange = log.Where(e => e.Timestamp >= since && e.Timestamp < until).ToList();
        var expected = inRange.Where(e => e.EventType == ProductEventType.View).GroupBy(e => e.ProductId)
            .Select(g => (Product: g.Key, Count: g.LongCount())).OrderByDescending(p => p.Count).Take(5).ToList();
        Assert.Equal(expected.Select(p => p.Count), top.Select(p => p.Count));
        Assert.All(top, p => Assert.Equal(inRange.Count(e => e.EventType == ProductEventType.View && e.ProductId == p.ProductId), p.Count));
        Assert.Equal(Category(top[0].ProductId), top[0].Attributes["category"].Text);

        var notBought = inRange.Where(e => e.EventType == ProductEventType.AddToCart && !log.Any(p =>
            p.EventType == ProductEventType.Purchase && p.UserId == e.UserId && p.ProductId == e.ProductId && p.Timestamp > e.Timestamp && p.Timestamp <= e.Timestamp + window));
        var expectedAbandoned = notBought.GroupBy(e => e.ProductId).Select(g => g.LongCount()).OrderDescending().Take(5);
        Assert.Equal(expectedAbandoned, abandoned.Select(p => p.Count));
    }

    [Fact]
    public void ASearchPagesThroughTheContactsAConditionHoldsForAndCountsThemExactlyOrWithinItsBound()
    {
        var log = Generate(seed: 41, entries: 6_000, days: 3, contacts: 500);
        var index = Build(log);
        var condition = Condition("""{"event":{"types":["purchase"],"count":{"gte":2}}}""");
        var expected = log.Where(e => e.EventType == ProductEventType.Purchase).GroupBy(e => e.UserId!)
            .Where(g => g.Count() >= 2).Select(g => g.Key).ToHashSet();
        var state = new IndexState(false, index.Entries, index.LastSeq);

        var found = new List<string>();
        var cursor = 0;
        ContactSearchAnswer page;
        do
        {
            page = index.Search(state, condition, 7, cursor, Origin.AddDays(3), 5_000, TimeSpan.FromMinutes(1));
            Assert.True(page.Contacts.Count <= 7);
            Assert.True(page.TotalExact);
            Assert.Equal(expected.Count, page.Total);
            found.AddRange(page.Contacts.Select(c => c.Contact.Value));
            cursor = page.Next ?? -1;
        }
        while (page.Next is not null);

        Assert.Equal(expected.Order(), found.Order());
        Assert.Equal(found.Count, found.Distinct().Count());
        var one = index.Search(state, condition, 1, 0, Origin.AddDays(3), 5_000, TimeSpan.FromMinutes(1)).Contacts[0];
        var events = log.Where(e => e.UserId == one.Contact.Value).ToList();
        Assert.Equal(events.Count, one.Events);
        Assert.Equal(events.Min(e => e.Timestamp), one.FirstSeenAt);

        var estimated = index.Search(state, condition, 1, 3, Origin.AddDays(3), 5_000, TimeSpan.Zero);
        Assert.False(estimated.TotalExact);
        Assert.InRange(expected.Count, estimated.Total - estimated.TotalError, estimated.Total + estimated.TotalError);
    }

    [Theory]
    [InlineData("everything")]
    [InlineData("categories and text")]
    [InlineData("name, any case")]
    [InlineData("all but one id")]
    public void AProductSearchPagesThroughTheProductsPassingItsFiltersAndTextMostEventsFirst(string search)
    {
        var log = Generate(seed: 43, entries: 2_000, days: 2);
        var index = Build(log);
        (string? filtersJson, string? text, Func<string, bool> passes) = search switch
        {
            "everything" => ((string?)null, (string?)null, (Func<string, bool>)(_ => true)),
            "categories and text" => ("""{"category":{"in":["c1","c2"]}}""", "1", (Func<string, bool>)(p => Category(p) is "c1" or "c2" && p.Contains('1', StringComparison.Ordinal))),
            "name, any case" => (null, "NAME OF P1", (Func<string, bool>)(p => p.StartsWith("p1", StringComparison.Ordinal))),
            _ => ("""{"product_id":{"ne":"p3"}}""", null, (Func<string, bool>)(p => p != "p3")),
        };
        var filters = filtersJson is null ? [] : ProductFilters(filtersJson);
        var expected = log.GroupBy(e => e.ProductId).Where(g => passes(g.Key))
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key}:{g.Count()}").ToList();
        Assert.NotEmpty(expected);
        var state = new IndexState(false, index.Entries, index.LastSeq);

        var found = new List<string>();
        var cursor = 0;
        ProductSearchAnswer page;
        do
        {
            page = index.SearchProducts(state, filters, text, 2, cursor);
            Assert.InRange(page.Products.Count, 1, 2);
            Assert.Equal(expected.Count, page.Total);
            found.AddRange(page.Products.Select(p => $"{p.ProductId}:{p.EventCounts.Values.Sum()}"));
            cursor = page.Next ?? -1;
        }
        while (page.Next is not null);

        Assert.Equal(expected, found);
    }

    private static AnalyticsIndex Build(IEnumerable<ProductEventRecord> log)
    {
        var index = new AnalyticsIndex();
        foreach (var e in log)
        {
            index.Add(e, e.Contact);
        }

        return index;
    }

    /// <summary>Entries in log order, arriving in order, whose event times are mostly increasing, with one in ten up to a day late.</summary>
    private static List<ProductEventRecord> Generate(int seed, int entries, int days, int contacts = 100)
    {
        var random = new Random(seed);
        var log = new List<ProductEventRecord>();
        var span = TimeSpan.FromDays(days).Ticks;
        for (var i = 0; i < entries; i++)
        {
            // Entries arrive in log order; an event's own time may be up to a day earlier (late) or a little later.
            var arrived = Origin.AddTicks(span * i / entries);
            var at = arrived;
            if (random.Next(10) == 0)
            {
                at = at.AddTicks(-random.NextInt64(TimeSpan.TicksPerDay));
            }

            at = at < Origin ? Origin.AddSeconds(random.Next(60)) : at.AddSeconds(random.Next(-30, 30));
            var product = $"p{random.Next(12)}";
            log.Add(Entry(i + 1, product, Types[random.Next(Types.Length)], at, $"u{random.Next(contacts)}", null) with { ReceivedAt = arrived.AddSeconds(30) });
        }

        return log;
    }

    private static ProductEventRecord Entry(long seq, string product, ProductEventType type, DateTimeOffset at, string? user, string? key) =>
        new(seq, Guid.NewGuid(), "app", product, type, user, key, $"name of {product}", at, at,
            null, new Dictionary<string, AttributeValue> { ["category"] = AttributeValue.FromString(Category(product)) }, null);

    private static string Category(string product) => $"c{int.Parse(product[1..], System.Globalization.CultureInfo.InvariantCulture) % 4}";

    /// <summary>Counts per bucket start (UTC ticks) and type, each entry's bucket found from its local time alone.</summary>
    private static Dictionary<long, Dictionary<ProductEventType, long>> Oracle(
        List<ProductEventRecord> log, TimeZoneInfo zone, AnalyticsInterval interval, long from, DateTimeOffset until)
    {
        var counts = new Dictionary<long, Dictionary<ProductEventType, long>>();
        foreach (var e in log.Where(e => e.Timestamp.UtcTicks >= from && e.Timestamp < until))
        {
            var local = TimeZoneInfo.ConvertTime(e.Timestamp, zone);
            var start = interval switch
            {
                AnalyticsInterval.Minute => e.Timestamp.UtcTicks - (e.Timestamp.UtcTicks % TimeSpan.TicksPerMinute),
                AnalyticsInterval.Hour => (local - TimeSpan.FromTicks(local.Ticks % TimeSpan.TicksPerHour)).UtcTicks,
                _ => new DateTimeOffset(local.Date, zone.GetUtcOffset(local.Date)).UtcTicks,
            };
            start = Math.Max(start, from);
            counts.TryAdd(start, []);
            counts[start][e.EventType] = counts[start].GetValueOrDefault(e.EventType) + 1;
        }

        return counts;
    }

    /// <summary>The most steps any entry of the contact reaches, trying every choice of events (the oracle of a funnel).</summary>
    private static int Furthest(List<ProductEventRecord> events, DateTimeOffset since, DateTimeOffset until, TimeSpan within, bool sameProduct)
    {
        bool Matches(int step, ProductEventRecord e) => step switch
        {
            0 => e.EventType == ProductEventType.View,
            1 => e.EventType == ProductEventType.AddToCart && Category(e.ProductId) != "c0",
            _ => e.EventType == ProductEventType.Purchase,
        };

        int Deepest(int step, int after, ProductEventRecord entry)
        {
            if (step == 3)
            {
                return 3;
            }

            var best = step;
            for (var i = after + 1; i < events.Count; i++)
            {
                var e = events[i];
                if (e.Timestamp <= entry.Timestamp + within && Matches(step, e) && (!sameProduct || e.ProductId == entry.ProductId))
                {
                    best = Math.Max(best, Deepest(step + 1, i, entry));
                }
            }

            return best;
        }

        var furthest = 0;
        for (var i = 0; i < events.Count; i++)
        {
            if (Matches(0, events[i]) && events[i].Timestamp >= since && events[i].Timestamp < until)
            {
                furthest = Math.Max(furthest, Deepest(1, i, events[i]));
            }
        }

        return furthest;
    }

    private static FunnelDefinition Funnel(string json) =>
        FunnelDefinition.Parse(json, Origin.AddDays(30), out var errors) ?? throw new InvalidOperationException(string.Join("; ", errors));

    private static IReadOnlyList<ProductFilter> ProductFilters(string json)
    {
        using var document = JsonDocument.Parse(json);
        var errors = new List<SegmentDefinitionError>();
        return SegmentConditionParser.ParseProductFilters(document.RootElement, "product", errors) ?? throw new InvalidOperationException(string.Join("; ", errors));
    }

    private static SegmentCondition Condition(string json)
    {
        using var document = JsonDocument.Parse(json);
        return SegmentConditionParser.Parse(document.RootElement, out var errors) ?? throw new InvalidOperationException(string.Join("; ", errors));
    }
}
