using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using ProductEvents.Api.Tests.Support;

namespace ProductEvents.Api.Tests.Reading;

/// <summary>The three listings (app-wide, per product, per contact): filters, order and paging.</summary>
public abstract class EventListingTests(HostFixture host)
{
    [Collection(HostCollection.Name)]
    public sealed class InMemory(HostFixture host) : EventListingTests(host);

    [Collection(PostgresHostCollection.Name)]
    public sealed class Postgres(PostgresHostFixture host) : EventListingTests(host);

    [Fact]
    public async Task ProductListingHoldsOnlyThatProductsEventsNewestEventTimeFirst()
    {
        var productId = Ids.Product();
        var userId = Ids.User();
        await host.Alpha.IngestAsync(Bodies.Event(productId, userId, "view", Bodies.At(10)));
        await host.Alpha.IngestAsync(Bodies.Event(productId, userId, "purchase", Bodies.At(30)));
        await host.Alpha.IngestAsync(Bodies.Event(productId, userId, "add to cart", Bodies.At(20)));
        await host.Alpha.IngestAsync(Bodies.Event(Ids.Product(), userId, "view", Bodies.At(25)));

        var listing = await host.Alpha.GetJsonAsync($"/api/v1/products/{productId}/events");

        Assert.Equal(new[] { "purchase", "add to cart", "view" }, Types(listing));
        Assert.All(listing["results"]!.AsArray(), e => Assert.Equal(productId, e!["product_id"]!.GetValue<string>()));
        Assert.Null(listing["next"]);
    }

    [Fact]
    public async Task ContactListingHoldsOnlyThatContactsEventsNewestEventTimeFirst()
    {
        var userId = Ids.User();
        var (a, b) = (Ids.Product(), Ids.Product());
        await host.Alpha.IngestAsync(Bodies.Event(a, userId, "view", Bodies.At(5)));
        await host.Alpha.IngestAsync(Bodies.Event(b, userId, "view", Bodies.At(15)));
        await host.Alpha.IngestAsync(Bodies.Event(a, userId, "purchase", Bodies.At(10)));
        await host.Alpha.IngestAsync(Bodies.Event(a, Ids.User(), "view", Bodies.At(12)));

        var listing = await host.Alpha.GetJsonAsync($"/api/v1/contacts/{userId}/product-events");

        var results = listing["results"]!.AsArray();
        Assert.Equal(new[] { b, a, a }, results.Select(e => e!["product_id"]!.GetValue<string>()));
        Assert.Equal(new[] { "view", "purchase", "view" }, Types(listing));
        Assert.All(results, e => Assert.Equal(userId, e!["user_id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ListingOfUnknownProductOrContactIsEmpty()
    {
        Assert.Empty((await host.Alpha.GetJsonAsync($"/api/v1/products/{Ids.Product()}/events"))["results"]!.AsArray());
        Assert.Empty((await host.Alpha.GetJsonAsync($"/api/v1/contacts/{Ids.User()}/product-events"))["results"]!.AsArray());
    }

    [Theory]
    [InlineData("type=2")]
    [InlineData("type=purchase")]
    [InlineData("type=PURCHASE")]
    public async Task TypeFilterTakesIdOrName(string filter)
    {
        var productId = Ids.Product();
        var userId = Ids.User();
        await host.Alpha.IngestBatchAsync([
            Bodies.Event(productId, userId, "view", Bodies.At(1)),
            Bodies.Event(productId, userId, "purchase", Bodies.At(2)),
            Bodies.Event(productId, userId, "add to cart", Bodies.At(3)),
            Bodies.Event(productId, userId, "purchase", Bodies.At(4)),
        ]);

        var appWide = await host.Alpha.GetJsonAsync($"/api/v1/product-events?{filter}&product_id={productId}");
        var perProduct = await host.Alpha.GetJsonAsync($"/api/v1/products/{productId}/events?{filter}");
        var perContact = await host.Alpha.GetJsonAsync($"/api/v1/contacts/{userId}/product-events?{filter}");

        foreach (var listing in new[] { appWide, perProduct, perContact })
        {
            Assert.Equal(new[] { "purchase", "purchase" }, Types(listing));
            Assert.All(listing["results"]!.AsArray(), e => Assert.Equal(2, e!["event_type_id"]!.GetValue<int>()));
        }
    }

    [Fact]
    public async Task TypeFilterTakesNamesWithUnderscores()
    {
        var productId = Ids.Product();
        var userId = Ids.User();
        await host.Alpha.IngestBatchAsync([Bodies.Event(productId, userId, "view"), Bodies.Event(productId, userId, "add to cart")]);

        var listing = await host.Alpha.GetJsonAsync($"/api/v1/products/{productId}/events?type=add_to_cart");

        Assert.Equal(new[] { "add to cart" }, Types(listing));
    }

    [Fact]
    public async Task ProductAndUserFiltersNarrowTheAppWideListing()
    {
        var (p, q) = (Ids.Product(), Ids.Product());
        var (u, v) = (Ids.User(), Ids.User());
        var ids = await host.Alpha.IngestBatchAsync([
            Bodies.Event(p, u, "view", Bodies.At(1)),
            Bodies.Event(p, v, "view", Bodies.At(2)),
            Bodies.Event(q, u, "view", Bodies.At(3)),
        ]);

        Assert.Equal(new[] { ids[1], ids[0] }, EventIds(await host.Alpha.GetJsonAsync($"/api/v1/product-events?product_id={p}")));
        Assert.Equal(new[] { ids[2], ids[0] }, EventIds(await host.Alpha.GetJsonAsync($"/api/v1/product-events?user_id={u}")));
        Assert.Equal(new[] { ids[0] }, EventIds(await host.Alpha.GetJsonAsync($"/api/v1/product-events?product_id={p}&user_id={u}")));
        Assert.Equal(new[] { ids[1] }, EventIds(await host.Alpha.GetJsonAsync($"/api/v1/products/{p}/events?user_id={v}")));
        Assert.Equal(new[] { ids[2] }, EventIds(await host.Alpha.GetJsonAsync($"/api/v1/contacts/{u}/product-events?product_id={q}")));
    }

    [Fact]
    public async Task SinceIsInclusiveAndUntilExclusiveByEventTime()
    {
        var productId = Ids.Product();
        var userId = Ids.User();
        var ids = await host.Alpha.IngestBatchAsync([
            Bodies.Event(productId, userId, "view", Bodies.At(0)),
            Bodies.Event(productId, userId, "view", Bodies.At(60)),
            Bodies.Event(productId, userId, "view", Bodies.At(120)),
            Bodies.Event(productId, userId, "view", Bodies.At(180)),
        ]);
        var path = $"/api/v1/products/{productId}/events";

        Assert.Equal(new[] { ids[2], ids[1] }, EventIds(await host.Alpha.GetJsonAsync($"{path}?since={Bodies.At(60)}&until={Bodies.At(180)}")));
        Assert.Equal(new[] { ids[3], ids[2] }, EventIds(await host.Alpha.GetJsonAsync($"{path}?since={Bodies.At(120)}")));
        Assert.Equal(new[] { ids[0] }, EventIds(await host.Alpha.GetJsonAsync($"{path}?until={Bodies.At(60)}")));
        var unixSince = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        Assert.Equal(new[] { ids[3], ids[2] }, EventIds(await host.Alpha.GetJsonAsync($"{path}?since={unixSince}")));
        Assert.Equal(new[] { ids[2], ids[1] }, EventIds(await host.Alpha.GetJsonAsync(
            $"/api/v1/product-events?product_id={productId}&since={Bodies.At(60)}&until={Bodies.At(180)}")));
    }

    [Fact]
    public async Task LimitCapsThePageAndDefaultsToHundred()
    {
        var productId = Ids.Product();
        var userId = Ids.User();
        await host.Alpha.IngestBatchAsync(Enumerable.Range(0, 101).Select(i => Bodies.Event(productId, userId, "view", Bodies.At(i))));

        var byDefault = await host.Alpha.GetJsonAsync($"/api/v1/products/{productId}/events");
        var one = await host.Alpha.GetJsonAsync($"/api/v1/products/{productId}/events?limit=1");
        var max = await host.Alpha.GetJsonAsync($"/api/v1/products/{productId}/events?limit=1000");

        Assert.Equal(100, byDefault["results"]!.AsArray().Count);
        Assert.NotNull(byDefault["next"]);
        Assert.Single(one["results"]!.AsArray());
        Assert.Equal(Bodies.At(100), Trim(one["results"]![0]!["timestamp"]!.GetValue<string>()));
        Assert.Equal(101, max["results"]!.AsArray().Count);
        Assert.Null(max["next"]);
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=1001")]
    [InlineData("limit=abc")]
    [InlineData("limit=-1")]
    [InlineData("limit=")]
    public async Task LimitOutsideOneToThousandIsRefused(string query)
    {
        foreach (var path in ListingPaths())
        {
            using var response = await host.Alpha.GetAsync($"{path}?{query}");

            Assert.Contains("1000", await Http.AssertFieldErrorAsync(response, "limit"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task UnknownTypeFilterIsRefusedListingTheAllowedValues()
    {
        foreach (var path in ListingPaths())
        {
            using var response = await host.Alpha.GetAsync($"{path}?type=buy");

            Assert.Contains("add to cart", await Http.AssertFieldErrorAsync(response, "type"), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("since", "yesterday")]
    [InlineData("until", "26/11/2025")]
    public async Task BadTimeFilterIsRefused(string field, string value)
    {
        foreach (var path in ListingPaths())
        {
            using var response = await host.Alpha.GetAsync($"{path}?{field}={value}");

            await Http.AssertFieldErrorAsync(response, field);
        }
    }

    [Theory]
    [InlineData("not-a-cursor")]
    [InlineData("MTIzNA")]
    [InlineData("")]
    public async Task BadCursorIsRefused(string cursor)
    {
        foreach (var path in ListingPaths())
        {
            using var response = await host.Alpha.GetAsync($"{path}?cursor={cursor}");

            await Http.AssertFieldErrorAsync(response, "cursor");
        }
    }

    [Fact]
    public async Task FollowingNextVisitsEveryEventOnceNewestFirst()
    {
        var productId = Ids.Product();
        var userId = Ids.User();
        // Several events share an event time, so the order between them comes from the log position.
        var ids = await host.Alpha.IngestBatchAsync(Enumerable.Range(0, 25).Select(i => Bodies.Event(productId, userId, "view", Bodies.At(i % 9))));

        foreach (var first in new[]
        {
            $"/api/v1/products/{productId}/events?limit=7",
            $"/api/v1/contacts/{userId}/product-events?limit=7",
            $"/api/v1/product-events?product_id={productId}&limit=7",
        })
        {
            var seen = new List<JsonNode>();
            var pages = 0;
            string? next = first;
            while (next is not null)
            {
                var page = await host.Alpha.GetJsonAsync(next);
                var results = page["results"]!.AsArray();
                Assert.InRange(results.Count, 1, 7);
                seen.AddRange(results.Select(r => r!));
                next = page["next"]?.GetValue<string>();
                if (next is not null)
                {
                    Assert.StartsWith("/api/v1/", next, StringComparison.Ordinal);
                    Assert.Contains("limit=7", next, StringComparison.Ordinal);
                }

                Assert.True(++pages <= 4, "more pages than events allow");
            }

            Assert.Equal(4, pages);
            Assert.Equal(ids.Order(StringComparer.Ordinal), seen.Select(e => e["id"]!.GetValue<string>()).Order(StringComparer.Ordinal));
            var times = seen.Select(e => e["timestamp"]!.GetValue<string>()).ToArray();
            Assert.Equal(times.OrderDescending(StringComparer.Ordinal), times);
        }
    }

    [Fact]
    public async Task NextKeepsTheFilters()
    {
        var productId = Ids.Product();
        var userId = Ids.User();
        await host.Alpha.IngestBatchAsync(Enumerable.Range(0, 6).Select(i => Bodies.Event(productId, userId, i % 2 == 0 ? "view" : "purchase", Bodies.At(i))));

        var first = await host.Alpha.GetJsonAsync($"/api/v1/products/{productId}/events?type=view&limit=2");
        var second = await host.Alpha.GetJsonAsync(first["next"]!.GetValue<string>());

        Assert.Equal(new[] { "view", "view" }, Types(first));
        Assert.Equal(new[] { "view" }, Types(second));
        Assert.Null(second["next"]);
    }

    [Fact]
    public async Task AppWideListingWithoutFiltersListsEveryEventOfTheApp()
    {
        // Only this test writes to app gamma.
        var gamma = host.Client(Keys.GammaSecret);
        var ids = await gamma.IngestBatchAsync(Enumerable.Range(0, 5).Select(i => Bodies.Event(Ids.Product(), Ids.User(), "view", Bodies.At(i))));

        var listing = await gamma.GetJsonAsync("/api/v1/product-events");

        Assert.Equal(Enumerable.Reverse(ids), EventIds(listing));
        Assert.Null(listing["next"]);
    }

    private static IEnumerable<string> ListingPaths() =>
        ["/api/v1/product-events", $"/api/v1/products/{Ids.Product()}/events", $"/api/v1/contacts/{Ids.User()}/product-events"];

    private static string[] Types(JsonNode listing) =>
        [.. listing["results"]!.AsArray().Select(e => e!["event_type"]!.GetValue<string>())];

    private static string[] EventIds(JsonNode listing) =>
        [.. listing["results"]!.AsArray().Select(e => e!["id"]!.GetValue<string>())];

    /// <summary>"2025-06-01T10:00:00.000000Z" to "2025-06-01T10:00:00Z", the form <see cref="Bodies.At"/> writes.</summary>
    private static string Trim(string timestamp) => timestamp.Replace(".000000Z", "Z", StringComparison.Ordinal);
}
