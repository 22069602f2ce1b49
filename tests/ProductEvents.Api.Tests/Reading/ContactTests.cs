using System.Net;
using System.Text.Json.Nodes;
using ProductEvents.Api.Tests.Support;

namespace ProductEvents.Api.Tests.Reading;

public abstract class ContactTests(HostFixture host)
{
    [Collection(HostCollection.Name)]
    public sealed class InMemory(HostFixture host) : ContactTests(host);

    [Collection(PostgresHostCollection.Name)]
    public sealed class Postgres(PostgresHostFixture host) : ContactTests(host);

    [Fact]
    public async Task UnknownContactIsNotFound()
    {
        using var response = await host.Alpha.GetAsync($"/api/v1/contacts/{Ids.User()}");

        await Http.AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ContactShowsCountAndFirstAndLastEventTimePerProductAndType()
    {
        var userId = Ids.User();
        var (a, b) = (Ids.Product(), Ids.Product());
        await host.Alpha.IngestAsync(Bodies.Event(a, userId, "view", Bodies.At(30)));
        await host.Alpha.IngestAsync(Bodies.Event(a, userId, "view", Bodies.At(10)));
        await host.Alpha.IngestAsync(Bodies.Event(a, userId, "view", Bodies.At(20)));
        await host.Alpha.IngestAsync(Bodies.Event(a, userId, "add to cart", Bodies.At(40)));
        await host.Alpha.IngestAsync(Bodies.Event(b, userId, "purchase", Bodies.At(50)));
        await host.Alpha.IngestAsync(Bodies.Event(b, Ids.User(), "purchase", Bodies.At(55)));

        var contact = await host.Alpha.GetJsonAsync($"/api/v1/contacts/{userId}");

        Assert.Equal(userId, contact["user_id"]!.GetValue<string>());
        Assert.Equal(5, contact["event_count"]!.GetValue<int>());
        Assert.Equal(Stamp(10), contact["first_seen_at"]!.GetValue<string>());
        Assert.Equal(Stamp(50), contact["last_seen_at"]!.GetValue<string>());
        var interactions = contact["interactions"]!.AsArray().Select(i => i!).ToList();
        Assert.Equal(3, interactions.Count);
        AssertInteraction(interactions, a, "view", 8, count: 3, first: 10, last: 30);
        AssertInteraction(interactions, a, "add to cart", 1, count: 1, first: 40, last: 40);
        AssertInteraction(interactions, b, "purchase", 2, count: 1, first: 50, last: 50);
    }

    [Fact]
    public async Task ContactIsCreatedOnlyByEventsNamingItsUserId()
    {
        var key = Ids.User();
        await host.Alpha.IngestAsync(new JsonObject { ["product_id"] = Ids.Product(), ["event_type"] = "view", ["user_key"] = key });

        using var response = await host.Alpha.GetAsync($"/api/v1/contacts/{key}");

        await Http.AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task UserIdWithSlashCanBeReadBack()
    {
        var userId = $"{Ids.User()}/shop-a";
        await host.Alpha.IngestAsync(Bodies.Event(Ids.Product(), userId));

        var contact = await host.Alpha.GetJsonAsync($"/api/v1/contacts/{Uri.EscapeDataString(userId)}");
        var events = await host.Alpha.GetJsonAsync($"/api/v1/contacts/{Uri.EscapeDataString(userId)}/product-events");

        Assert.Equal(userId, contact["user_id"]!.GetValue<string>());
        Assert.Equal(userId, Assert.Single(events["results"]!.AsArray())!["user_id"]!.GetValue<string>());
    }

    private static void AssertInteraction(List<JsonNode> interactions, string productId, string type, int typeId, int count, int first, int last)
    {
        var interaction = Assert.Single(interactions, i => i["product_id"]!.GetValue<string>() == productId && i["event_type"]!.GetValue<string>() == type);
        Assert.Equal(typeId, interaction["event_type_id"]!.GetValue<int>());
        Assert.Equal(count, interaction["count"]!.GetValue<int>());
        Assert.Equal(Stamp(first), interaction["first_at"]!.GetValue<string>());
        Assert.Equal(Stamp(last), interaction["last_at"]!.GetValue<string>());
    }

    private static string Stamp(int minutes) => Bodies.At(minutes).Replace("Z", ".000000Z", StringComparison.Ordinal);
}
