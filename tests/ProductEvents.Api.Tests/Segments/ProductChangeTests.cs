using System.Text.Json.Nodes;
using ProductEvents.Api.Tests.Support;

namespace ProductEvents.Api.Tests.Segments;

/// <summary>Conditions read a product's current attributes: when they change, the product's contacts are re-evaluated.</summary>
[Collection(SegmentHostCollection.Name)]
public sealed class ProductChangeTests(SegmentHostFixture host)
{
    private const string ViewedUnder100 = """{"event": {"types": ["view"], "product": {"price": {"lt": 100}}}}""";

    [Fact]
    public async Task APriceDropMakesTheProductsEarlierViewersJoinWithoutAnEventOfTheirOwn()
    {
        var app = host.NewApp();
        var (product, other) = (Ids.Product(), Ids.Product());
        var (first, second, otherViewer) = (Ids.User(), Ids.User(), Ids.User());
        await app.Api.IngestAsync(Priced(Bodies.Event(product, first, "view", Bodies.At(0)), 150));
        await app.Api.IngestAsync(Bodies.Event(product, second, "view", Bodies.At(1)));
        await app.Api.IngestAsync(Priced(Bodies.Event(other, otherViewer, "view", Bodies.At(2)), 150));
        var id = await app.Api.CreateReadyAsync("viewed products under 100", ViewedUnder100);
        Assert.Equal(0, await app.Api.CountAsync(id));

        // The shop reports the new price on another contact's event of a type the segment does not count.
        var merchant = Ids.User();
        await app.Api.IngestAsync(Priced(Bodies.Event(product, merchant, "detail", Bodies.At(10)), 79.90));

        await app.Api.WaitMemberAsync(id, first);
        await app.Api.WaitMemberAsync(id, second);
        Assert.Equal(new[] { first, second }.Order(StringComparer.Ordinal), await app.Api.AllMembersAsync(id));

        await app.Api.IngestAsync(Priced(Bodies.Event(product, merchant, "detail", Bodies.At(20)), 120));

        await Eventually.ReturnsAsync(() => app.Api.CountAsync(id), n => n == 0, "the viewers to leave after the price went up");
    }

    private static JsonObject Priced(JsonObject body, double price)
    {
        body["price"] = price;
        return body;
    }
}
