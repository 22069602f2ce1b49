using System.Text.Json.Nodes;
using ProductEvents.Api.Tests.Support;

namespace ProductEvents.Api.Tests.Reading;

public abstract class EventTypesTests(HostFixture host)
{
    [Collection(HostCollection.Name)]
    public sealed class InMemory(HostFixture host) : EventTypesTests(host);

    [Collection(PostgresHostCollection.Name)]
    public sealed class Postgres(PostgresHostFixture host) : EventTypesTests(host);

    [Fact]
    public async Task ListsTheSixteenTypesOfTheTable()
    {
        var types = await host.Alpha.GetJsonAsync("/api/v1/event-types");

        var expected = JsonNode.Parse("""
            [{"id": 1, "name": "add to cart"}, {"id": 2, "name": "purchase"}, {"id": 3, "name": "liking"},
             {"id": 4, "name": "add to observation"}, {"id": 5, "name": "order"}, {"id": 6, "name": "reservation"},
             {"id": 7, "name": "return"}, {"id": 8, "name": "view"}, {"id": 9, "name": "click"}, {"id": 10, "name": "detail"},
             {"id": 11, "name": "add"}, {"id": 12, "name": "remove"}, {"id": 13, "name": "checkout"},
             {"id": 14, "name": "checkout option"}, {"id": 15, "name": "refund"}, {"id": 16, "name": "promo click"}]
            """);
        Assert.True(JsonNode.DeepEquals(expected, types), types.ToJsonString());
    }
}
