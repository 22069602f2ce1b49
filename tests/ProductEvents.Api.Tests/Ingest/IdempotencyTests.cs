using System.Net;
using System.Text.Json.Nodes;
using ProductEvents.Api.Tests.Support;

namespace ProductEvents.Api.Tests.Ingest;

public abstract class IdempotencyTests(HostFixture host)
{
    [Collection(HostCollection.Name)]
    public sealed class InMemory(HostFixture host) : IdempotencyTests(host);

    [Collection(PostgresHostCollection.Name)]
    public sealed class Postgres(PostgresHostFixture host) : IdempotencyTests(host);

    [Fact]
    public async Task SameEventIdTwiceAnswersDuplicateWithTheFirstIdAndChangesNothing()
    {
        var productId = Ids.Product();
        var userId = Ids.User();
        var eventId = $"evt-{Guid.NewGuid():N}";
        var first = Bodies.Event(productId, userId, "add to cart", Bodies.At(0));
        first["event_id"] = eventId;
        first["color"] = "red";
        var firstId = await host.Alpha.IngestAsync(first);
        var productBefore = await host.Alpha.GetJsonAsync($"/api/v1/products/{productId}");
        var contactBefore = await host.Alpha.GetJsonAsync($"/api/v1/contacts/{userId}");

        var second = Bodies.Event(productId, userId, "purchase", Bodies.At(10));
        second["event_id"] = eventId;
        second["color"] = "blue";
        using var response = await host.Alpha.PostJsonAsync("/api/v1/product-events", second);

        var answer = await Http.ReadJsonAsync(response);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.True(answer["duplicate"]!.GetValue<bool>());
        Assert.Equal(firstId, answer["id"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(productBefore, await host.Alpha.GetJsonAsync($"/api/v1/products/{productId}")));
        Assert.True(JsonNode.DeepEquals(contactBefore, await host.Alpha.GetJsonAsync($"/api/v1/contacts/{userId}")));
        var listed = Assert.Single((await host.Alpha.GetJsonAsync($"/api/v1/products/{productId}/events"))["results"]!.AsArray())!;
        Assert.Equal(firstId, listed["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task SameEventIdInAnotherAppIsANewEvent()
    {
        var productId = Ids.Product();
        var eventId = $"evt-{Guid.NewGuid():N}";
        var body = Bodies.Event(productId, Ids.User());
        body["event_id"] = eventId;

        var alphaId = await host.Alpha.IngestAsync(body);
        var betaId = await host.Beta.IngestAsync(body);

        Assert.NotEqual(alphaId, betaId);
    }

    [Fact]
    public async Task EventsWithoutEventIdAreNeverDuplicates()
    {
        var productId = Ids.Product();
        var body = Bodies.Event(productId, Ids.User(), "view", Bodies.At(0));

        var first = await host.Alpha.IngestAsync(body);
        var second = await host.Alpha.IngestAsync(body);

        Assert.NotEqual(first, second);
        Assert.Equal(2, (await host.Alpha.GetJsonAsync($"/api/v1/products/{productId}"))["event_counts"]!["view"]!.GetValue<int>());
    }
}
