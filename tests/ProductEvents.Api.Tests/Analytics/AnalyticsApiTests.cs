using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using ProductEvents.Api.Tests.Support;
using ProductEvents.Testing;

namespace ProductEvents.Api.Tests.Analytics;

/// <summary>
/// The analytics endpoints against answers computed from the log as the event listing returns it. Each test sends its
/// events into a day of its own far in the past, so the shared app's other events stay out of its ranges. The index is
/// fed after the commit, so a test waits until the answer covers what it sent.
/// </summary>
public abstract class AnalyticsApiTests(HostFixture host)
{
    [Collection(HostCollection.Name)]
    public sealed class InMemory(HostFixture host) : AnalyticsApiTests(host);

    [Collection(PostgresHostCollection.Name)]
    public sealed class Postgres(PostgresHostFixture host) : AnalyticsApiTests(host);

    private static readonly string[] Types = ["view", "add to cart", "purchase", "click"];

    /// <summary>A day of its own for each test, between 2005 and 2019.</summary>
    private readonly DateTimeOffset _day = new DateTimeOffset(2005, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(Random.Shared.Next(0, 5_400));

    [Theory]
    [InlineData("hour", "Asia/Kolkata")]
    [InlineData("day", "America/New_York")]
    [InlineData("minute", "UTC")]
    public async Task CountsPerBucketAreWhatTheLogHoldsInTheAskedTimeZoneIncludingLateEvents(string interval, string zone)
    {
        var span = interval == "minute" ? TimeSpan.FromMinutes(90) : TimeSpan.FromHours(40);
        var random = new Random(17);
        var events = Enumerable.Range(0, 60).Select(i => Event(
            $"sku-{random.Next(3)}", $"user-{random.Next(5)}", Types[random.Next(Types.Length)], _day + span * random.NextDouble())).ToList();
        await host.Alpha.IngestBatchAsync(events.Take(40));
        foreach (var late in events.Skip(40))
        {
            // Sent last, stamped anywhere in the range: late events land in the bucket of their own time.
            await host.Alpha.IngestAsync(late);
        }

        var (since, until) = (_day, _day + span);
        var log = await LogAsync(since, until);
        Assert.Equal(60, log.Count);
        var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);
        var answer = await Eventually.ReturnsAsync(
            () => host.Alpha.GetJsonAsync($"/api/v1/analytics/events?interval={interval}&tz={zone}&since={Iso(since)}&until={Iso(until)}"),
            a => a["series"]!.AsArray().Sum(s => s!["total"]!.GetValue<long>()) >= log.Count(e => e.At >= Start(a)),
            "the counts to cover the events sent");

        var buckets = answer["buckets"]!.AsArray().Select(b => DateTimeOffset.Parse(b!.GetValue<string>(), CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(Start(answer), buckets[0]);
        Assert.True(buckets[0] <= since);
        foreach (var series in answer["series"]!.AsArray())
        {
            var type = series!["event_type"]!.GetValue<string>();
            var counts = series["counts"]!.AsArray().Select(c => c!.GetValue<long>()).ToArray();
            Assert.Equal(buckets.Length, counts.Length);
            for (var i = 0; i < buckets.Length; i++)
            {
                var end = i + 1 < buckets.Length ? buckets[i + 1] : until;
                var want = log.Count(e => e.Type == type && e.At >= buckets[i] && e.At < end);
                Assert.True(want == counts[i], $"{type} in the bucket from {buckets[i]:O}: {counts[i]}, the log says {want}");
                Assert.Equal(LocalStart(buckets[i], interval, tz), buckets[i]);
            }
        }
    }

    [Fact]
    public async Task AProductsTimelineAndCountsGroupedByAnAttributeAreWhatTheLogHolds()
    {
        var run = Guid.NewGuid().ToString("N");
        var (shoe, hat, scarf) = ($"shoe-{run}", $"hat-{run}", $"scarf-{run}");
        var sent = new List<JsonObject>();
        for (var i = 0; i < 9; i++)
        {
            sent.Add(Event(shoe, $"u{i}", "view", _day.AddHours(i), ("category", "shoes")));
            sent.Add(Event(hat, $"u{i}", i % 3 == 0 ? "purchase" : "view", _day.AddHours(i).AddMinutes(5), ("category", "hats")));
        }

        sent.Add(Event(scarf, "u1", "view", _day.AddHours(2)));
        await host.Alpha.IngestBatchAsync(sent);
        var (since, until) = (Iso(_day), Iso(_day.AddDays(1)));

        var timeline = await Eventually.ReturnsAsync(
            () => host.Alpha.GetJsonAsync($"/api/v1/analytics/products/{hat}/timeline?interval=hour&since={since}&until={until}"),
            t => Total(t["counts"]!, "view") + Total(t["counts"]!, "purchase") == 9, "the hat's nine events");
        Assert.Equal(hat, timeline["product_id"]!.GetValue<string>());
        Assert.Equal(6, Total(timeline["counts"]!, "view"));
        Assert.Equal(3, Total(timeline["counts"]!, "purchase"));
        Assert.Equal(0, Total(timeline["counts"]!, "click"));

        var grouped = await host.Alpha.GetJsonAsync($"/api/v1/analytics/events?interval=day&type=view&group_by=category&groups=1&since={since}&until={until}");
        var series = grouped["series"]!.AsArray().Select(s => s!).ToList();
        var shoes = Assert.Single(series, s => s["group"]?.GetValue<string>() == "shoes");
        Assert.Equal(9, shoes["total"]!.GetValue<long>());
        var rest = Assert.Single(series, s => s["rest"]?.GetValue<bool>() == true);
        Assert.Equal(7, rest["total"]!.GetValue<long>()); // six hat views and the scarf, which has no category
    }

    [Fact]
    public async Task AFunnelCountsEachContactOnceWithItsConversionsAndMedianTimesPerStep()
    {
        var run = Guid.NewGuid().ToString("N");
        var (a, b) = ($"a-{run}", $"b-{run}");
        var users = Enumerable.Range(0, 6).Select(i => $"funnel-{run}-{i}").ToArray();
        await host.Alpha.IngestBatchAsync(
        [
            // 0: view, cart 10 min later, purchase 20 min after that
            Event(a, users[0], "view", _day.AddHours(1), ("run", run)),
            Event(a, users[0], "add to cart", _day.AddHours(1).AddMinutes(10), ("run", run)),
            Event(a, users[0], "purchase", _day.AddHours(1).AddMinutes(30), ("run", run)),
            // 1: view, cart 30 min later, purchase of another product 40 min after that
            Event(a, users[1], "view", _day.AddHours(2), ("run", run)),
            Event(a, users[1], "add to cart", _day.AddHours(2).AddMinutes(30), ("run", run)),
            Event(b, users[1], "purchase", _day.AddHours(3).AddMinutes(10), ("run", run)),
            // 2: view, then a cart two days later: outside the one-day window
            Event(a, users[2], "view", _day.AddHours(3), ("run", run)),
            Event(a, users[2], "add to cart", _day.AddDays(2), ("run", run)),
            // 3: a cart before the view does not follow it
            Event(b, users[3], "add to cart", _day.AddHours(4), ("run", run)),
            Event(b, users[3], "view", _day.AddHours(5), ("run", run)),
            // 4: view only
            Event(b, users[4], "view", _day.AddHours(6), ("run", run)),
        ]);

        // 5: the cart arrives first; the view, stamped 20 minutes before it, comes late.
        await host.Alpha.IngestAsync(Event(a, users[5], "add to cart", _day.AddHours(7), ("run", run)));
        await host.Alpha.IngestAsync(Event(a, users[5], "view", _day.AddHours(7).AddMinutes(-20), ("run", run)));

        var body = """
            {"steps":[{"types":["view"],"product":{"run":{"eq":"RUN"}}},{"types":["add to cart"],"product":{"run":{"eq":"RUN"}}},
            {"types":["purchase"],"product":{"run":{"eq":"RUN"}}}],"within":"P1D","since":"SINCE","until":"UNTIL"}
            """.Replace("RUN", run).Replace("SINCE", Iso(_day)).Replace("UNTIL", Iso(_day.AddDays(1)));
        var answer = await Eventually.ReturnsAsync(() => FunnelAsync(body), f => Contacts(f)[0] == 6, "six contacts entering");

        Assert.Equal([6L, 3, 2], Contacts(answer));
        var stepAnswers = answer["steps"]!.AsArray();
        Assert.Null(stepAnswers[0]!["conversion_from_previous"]);
        Assert.Equal(0.5, stepAnswers[1]!["conversion_from_previous"]!.GetValue<double>(), 6);
        Assert.Equal(2.0 / 3, stepAnswers[2]!["conversion_from_previous"]!.GetValue<double>(), 6);
        Assert.Equal(2.0 / 6, stepAnswers[2]!["conversion_from_first"]!.GetValue<double>(), 6);
        Assert.Equal(20 * 60, stepAnswers[1]!["median_seconds_from_previous"]!.GetValue<double>()); // 10, 20 and 30 minutes
        Assert.Equal(30 * 60, stepAnswers[2]!["median_seconds_from_previous"]!.GetValue<double>()); // 20 and 40 minutes

        var sameProduct = await FunnelAsync(body.Replace("\"within\"", "\"same_product\":true,\"within\""));
        Assert.Equal([6L, 3, 1], Contacts(sameProduct));
    }

    [Fact]
    public async Task TopProductsAreTheMostViewedAndTheMostAbandonedWithTheirAttributes()
    {
        var run = Guid.NewGuid().ToString("N");
        var (a, b, c) = ($"top-a-{run}", $"top-b-{run}", $"top-c-{run}");
        var sent = new List<JsonObject>();
        void Views(string product, int count)
        {
            for (var i = 0; i < count; i++)
            {
                sent.Add(Event(product, $"viewer-{run}-{i}", "view", _day.AddMinutes(i), ("color", product[..5])));
            }
        }

        Views(a, 5);
        Views(b, 7);
        Views(c, 2);
        sent.Add(Event(a, $"buyer-{run}", "add to cart", _day.AddHours(1)));
        sent.Add(Event(a, $"buyer-{run}", "purchase", _day.AddHours(2)));
        sent.Add(Event(c, $"buyer-{run}", "add to cart", _day.AddHours(1)));
        sent.Add(Event(c, $"other-{run}", "add to cart", _day.AddHours(1)));
        sent.Add(Event(c, $"other-{run}", "purchase", _day.AddDays(3)));
        await host.Alpha.IngestBatchAsync(sent);
        var range = $"since={Iso(_day)}&until={Iso(_day.AddDays(1))}";

        var top = await Eventually.ReturnsAsync(
            () => host.Alpha.GetJsonAsync($"/api/v1/analytics/top-products?type=view&limit=2&{range}"),
            t => t["results"]!.AsArray().Count == 2 && t["results"]![0]!["count"]!.GetValue<long>() == 7, "the views");
        Assert.Equal([b, a], top["results"]!.AsArray().Select(p => p!["product_id"]!.GetValue<string>()));
        Assert.Equal([7L, 5], top["results"]!.AsArray().Select(p => p!["count"]!.GetValue<long>()));
        Assert.Equal("top-b", top["results"]![0]!["attributes"]!["color"]!.GetValue<string>());

        var abandoned = await host.Alpha.GetJsonAsync($"/api/v1/analytics/top-products?type=add%20to%20cart&abandoned_within=P1D&{range}");
        var only = Assert.Single(abandoned["results"]!.AsArray());
        Assert.Equal(c, only!["product_id"]!.GetValue<string>());
        Assert.Equal(2, only["count"]!.GetValue<long>()); // a was bought within the day; c's second cart was bought days later
    }

    [Fact]
    public async Task ASearchFindsTheContactsAConditionHoldsForNowPageByPageWithAnExactTotal()
    {
        var run = Guid.NewGuid().ToString("N");
        var buyers = Enumerable.Range(0, 5).Select(i => $"search-{run}-{i}").ToArray();
        await host.Alpha.IngestBatchAsync([
            .. buyers.Select(u => Event($"p-{run}", u, "purchase", _day, ("run", run))),
            Event($"p-{run}", $"viewer-{run}", "view", _day, ("run", run)),
        ]);
        var body = """{"condition":{"event":{"types":["purchase"],"product":{"run":{"eq":"RUN"}}}}}""".Replace("RUN", run);

        var found = new List<string>();
        string? next = "0";
        while (next is not null)
        {
            var page = await Eventually.ReturnsAsync(() => SearchAsync(body, $"limit=2&cursor={next}"), p => p["total"]!.GetValue<long>() == 5, "the five buyers");
            Assert.True(page["total_exact"]!.GetValue<bool>());
            Assert.True(page["results"]!.AsArray().Count <= 2);
            found.AddRange(page["results"]!.AsArray().Select(c => c!["user_id"]!.GetValue<string>()));
            Assert.All(page["results"]!.AsArray(), c => Assert.Equal(1, c!["events"]!.GetValue<long>()));
            next = page["next"]?.GetValue<string>();
        }

        Assert.Equal(buyers.Order(), found.Order());
    }

    [Fact]
    public async Task AProductSearchFindsTheProductsPassingItsFiltersAndTextMostEventsFirstPageByPage()
    {
        var run = Guid.NewGuid().ToString("N");
        var (a, b, c) = ($"ps-{run}-a", $"ps-{run}-b", $"ps-{run}-c");
        await host.Alpha.IngestBatchAsync([
            Event(a, $"u1-{run}", "view", _day, ("run", run), ("tier", "gold"), ("name", $"Trail shoe {run}")),
            Event(b, $"u1-{run}", "view", _day, ("run", run), ("tier", "gold")),
            Event(b, $"u2-{run}", "purchase", _day.AddHours(1), ("run", run), ("tier", "gold")),
            Event(c, $"u3-{run}", "view", _day, ("run", run), ("tier", "silver")),
        ]);
        var gold = """{"product":{"run":{"eq":"RUN"},"tier":{"eq":"gold"}}}""".Replace("RUN", run);

        var found = new List<JsonNode>();
        string? next = "0";
        while (next is not null)
        {
            var page = await Eventually.ReturnsAsync(() => ProductSearchAsync(gold, $"limit=1&cursor={next}"), p => p["total"]!.GetValue<long>() == 2, "both gold products");
            Assert.Single(page["results"]!.AsArray());
            found.Add(page["results"]![0]!);
            next = page["next"]?.GetValue<string>();
        }

        Assert.Equal([b, a], found.Select(p => p["product_id"]!.GetValue<string>()));
        foreach (var product in found)
        {
            var read = (await host.Alpha.GetJsonAsync($"/api/v1/products/{product["product_id"]}")).AsObject();
            read.Remove("id");
            Assert.True(JsonNode.DeepEquals(read, product), $"{read} / {product}");
        }

        var byName = await ProductSearchAsync("""{"text":"TRAIL SHOE RUN"}""".Replace("RUN", run.ToUpperInvariant()), "");
        Assert.Equal([a], byName["results"]!.AsArray().Select(p => p!["product_id"]!.GetValue<string>()));
        var byId = await ProductSearchAsync($$"""{"text":"{{run}}-c"}""", "");
        Assert.Equal([c], byId["results"]!.AsArray().Select(p => p!["product_id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task AnErasedContactLeavesTheCountsAndTheSearch()
    {
        var run = Guid.NewGuid().ToString("N");
        var (kept, erased) = ($"kept-{run}", $"erased-{run}");
        await host.Alpha.IngestBatchAsync([
            Event($"p-{run}", kept, "view", _day.AddHours(1), ("run", run)),
            Event($"p-{run}", erased, "view", _day.AddHours(2), ("run", run)),
            Event($"p-{run}", erased, "purchase", _day.AddHours(3), ("run", run)),
        ]);
        var timeline = $"/api/v1/analytics/products/p-{run}/timeline?interval=day&since={Iso(_day)}&until={Iso(_day.AddDays(1))}";
        await Eventually.TrueAsync(async () => Total((await host.Alpha.GetJsonAsync(timeline))["counts"]!, "view") == 2, "both views");

        using (var response = await host.Alpha.DeleteAsync($"/api/v1/contacts/{erased}"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var counts = (await host.Alpha.GetJsonAsync(timeline))["counts"]!;
        Assert.Equal(1, Total(counts, "view"));
        Assert.Equal(0, Total(counts, "purchase"));
        var search = await SearchAsync("""{"condition":{"event":{"types":["view"],"product":{"run":{"eq":"RUN"}}}}}""".Replace("RUN", run), "limit=10");
        Assert.Equal([kept], search["results"]!.AsArray().Select(c => c!["user_id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task AContactsJourneyHoldsItsEventsInTimeOrderAndItsSegments()
    {
        var run = Guid.NewGuid().ToString("N");
        var user = $"journey-{run}";
        await host.Alpha.IngestAsync(Event($"p-{run}", user, "purchase", _day.AddHours(2), ("run", run)));
        await host.Alpha.IngestAsync(Event($"p-{run}", user, "view", _day.AddHours(1), ("run", run)));

        var journey = await host.Alpha.GetJsonAsync($"/api/v1/analytics/contacts/{user}/journey");

        Assert.Equal(["view", "purchase"], journey["events"]!.AsArray().Select(e => e!["event_type"]!.GetValue<string>()));
        var segments = await host.Alpha.GetJsonAsync($"/api/v1/contacts/{user}/segments");
        Assert.True(JsonNode.DeepEquals(segments["results"], journey["segments"]), $"{segments} / {journey["segments"]}");
        Assert.Empty(journey["runs"]!.AsArray());
        using var unknown = await host.Alpha.GetAsync($"/api/v1/analytics/contacts/nobody-{run}/journey");
        await Http.AssertProblemAsync(unknown, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("/api/v1/analytics/events?interval=week", "interval")]
    [InlineData("/api/v1/analytics/events?tz=Mars/Olympus_Mons", "tz")]
    [InlineData("/api/v1/analytics/events?type=teleport", "type")]
    [InlineData("/api/v1/analytics/events?since=2020-01-02T00:00:00Z&until=2020-01-01T00:00:00Z", "since")]
    [InlineData("/api/v1/analytics/events?interval=minute&since=2020-01-01T00:00:00Z&until=2020-01-02T00:00:00Z", "since")]
    [InlineData("/api/v1/analytics/events?groups=0&group_by=color", "groups")]
    [InlineData("/api/v1/analytics/top-products", "type")]
    [InlineData("/api/v1/analytics/top-products?type=view&limit=1000", "limit")]
    [InlineData("/api/v1/analytics/top-products?type=view&abandoned_within=soon", "abandoned_within")]
    public async Task ABadQueryIsA400NamingTheParameter(string path, string field)
    {
        using var response = await host.Alpha.GetAsync(path);

        await Http.AssertFieldErrorAsync(response, field);
    }

    [Theory]
    [InlineData("""{"steps":[{"types":["view"]}]}""", "steps")]
    [InlineData("""{"steps":[{"types":["view"]},{"types":["teleport"]}]}""", "steps[1].types[0]")]
    [InlineData("""{"steps":[{"types":["view"]},{"types":["purchase"],"within":"P1D"}]}""", "steps[1].within")]
    [InlineData("""{"steps":[{"types":["view"]},{"types":["purchase"]}],"within":"P1M"}""", "within")]
    [InlineData("""{"steps":[{"types":["view"]},{"types":["purchase"]}],"colour":"red"}""", "colour")]
    [InlineData("""{"steps":[{"types":["view"]},{"types":["purchase"]}],"since":"2020-01-01T00:00:00Z","until":"2022-01-01T00:00:00Z"}""", "since")]
    public async Task ABadFunnelIsA400NamingThePath(string body, string field)
    {
        using var response = await host.Alpha.PostJsonAsync("/api/v1/analytics/funnels", body);

        await Http.AssertFieldErrorAsync(response, field);
    }

    [Theory]
    [InlineData("{}", "", "condition")]
    [InlineData("""{"condition":{"event":{"types":["teleport"]}}}""", "", "condition.event.types[0]")]
    [InlineData("""{"condition":{"event":{"types":["view"]}}}""", "limit=0", "limit")]
    [InlineData("""{"condition":{"event":{"types":["view"]}}}""", "cursor=abc", "cursor")]
    public async Task ABadSearchIsA400NamingThePath(string body, string query, string field)
    {
        using var response = await host.Alpha.PostJsonAsync($"/api/v1/contacts/search?{query}", body);

        await Http.AssertFieldErrorAsync(response, field);
    }

    [Theory]
    [InlineData("[]", "", "body")]
    [InlineData("""{"product":{"tier":{"bogus":1}}}""", "", "product.tier.bogus")]
    [InlineData("""{"product":"shoes"}""", "", "product")]
    [InlineData("""{"text":5}""", "", "text")]
    [InlineData("""{"colour":"red"}""", "", "colour")]
    [InlineData("{}", "limit=1001", "limit")]
    public async Task ABadProductSearchIsA400NamingThePath(string body, string query, string field)
    {
        using var response = await host.Alpha.PostJsonAsync($"/api/v1/products/search?{query}", body);

        await Http.AssertFieldErrorAsync(response, field);
    }

    [Fact]
    public async Task APublicKeyCannotReadAnalytics()
    {
        using var response = await host.AlphaPublic.GetAsync("/api/v1/analytics/events");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private async Task<JsonNode> FunnelAsync(string body)
    {
        using var response = await host.Alpha.PostJsonAsync("/api/v1/analytics/funnels", body);
        var json = await Http.ReadJsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {json}");
        return json;
    }

    private async Task<JsonNode> SearchAsync(string body, string query)
    {
        using var response = await host.Alpha.PostJsonAsync($"/api/v1/contacts/search?{query}", body);
        var json = await Http.ReadJsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {json}");
        return json;
    }

    private async Task<JsonNode> ProductSearchAsync(string body, string query)
    {
        using var response = await host.Alpha.PostJsonAsync($"/api/v1/products/search?{query}", body);
        var json = await Http.ReadJsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {json}");
        return json;
    }

    /// <summary>Every event of the app with an event time in the range, read from the event listing page by page.</summary>
    private async Task<List<(string Type, DateTimeOffset At)>> LogAsync(DateTimeOffset since, DateTimeOffset until)
    {
        var events = new List<(string, DateTimeOffset)>();
        string? next = $"/api/v1/product-events?since={Iso(since)}&until={Iso(until)}&limit=1000";
        while (next is not null)
        {
            var page = await host.Alpha.GetJsonAsync(next);
            events.AddRange(page["results"]!.AsArray().Select(e => (
                e!["event_type"]!.GetValue<string>(), DateTimeOffset.Parse(e["timestamp"]!.GetValue<string>(), CultureInfo.InvariantCulture))));
            next = page["next"]?.GetValue<string>();
        }

        return events;
    }

    /// <summary>The start of the local minute, hour or day holding <paramref name="instant"/>, found from its local time.</summary>
    private static DateTimeOffset LocalStart(DateTimeOffset instant, string interval, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        return interval switch
        {
            "minute" => instant.AddTicks(-(instant.UtcTicks % TimeSpan.TicksPerMinute)),
            "hour" => local.AddTicks(-(local.Ticks % TimeSpan.TicksPerHour)).ToUniversalTime(),
            _ => new DateTimeOffset(local.Date, zone.GetUtcOffset(local.Date)).ToUniversalTime(),
        };
    }

    private static DateTimeOffset Start(JsonNode answer) => DateTimeOffset.Parse(answer["since"]!.GetValue<string>(), CultureInfo.InvariantCulture);

    private static long[] Contacts(JsonNode funnel) => [.. funnel["steps"]!.AsArray().Select(s => s!["contacts"]!.GetValue<long>())];

    private static long Total(JsonNode counts, string type) =>
        counts["series"]!.AsArray().Where(s => s!["event_type"]!.GetValue<string>() == type).Sum(s => s!["total"]!.GetValue<long>());

    private static JsonObject Event(string product, string user, string type, DateTimeOffset at, params (string Name, string Value)[] attributes)
    {
        var body = Bodies.Event(product, user, type, Iso(at));
        foreach (var (name, value) in attributes)
        {
            body[name] = value;
        }

        return body;
    }

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
