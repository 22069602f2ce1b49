using System.Net;
using System.Text.Json.Nodes;
using ProductEvents.Api.Tests.Support;

namespace ProductEvents.Api.Tests.Privacy;

/// <summary>The embedded default erases and exports too: its memory log, memberships, runs and outbox.</summary>
[Collection(HostCollection.Name)]
public sealed class InMemoryErasureTests(HostFixture host)
{
    [Fact]
    public async Task ErasedContactAndItsVisitorLeaveTheMemoryLog()
    {
        var (user, visitor, kept, product) = (Ids.User(), Ids.User(), Ids.User(), Ids.Product());
        await host.Alpha.IngestAsync(new JsonObject { ["product_id"] = product, ["event_type"] = "view", ["user_key"] = visitor });
        await host.Alpha.IngestAsync(new JsonObject { ["product_id"] = product, ["event_type"] = "view", ["user_id"] = user, ["user_key"] = visitor });
        await host.Alpha.IngestAsync(Bodies.Event(product, kept));
        await Eventually.TrueAsync(
            async () => (await host.Alpha.GetAsync($"/api/v1/contacts/{user}")).StatusCode == HttpStatusCode.OK, "the contact");
        Assert.Equal(2, (await host.Alpha.GetJsonAsync($"/api/v1/contacts/{user}/export"))["events"]!.AsArray().Count);

        using var erased = await host.Alpha.DeleteAsync($"/api/v1/contacts/{user}");
        var erasure = await Http.ReadJsonAsync(erased);

        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        Assert.Equal(2, erasure["events"]!.GetValue<long>());
        await Http.AssertProblemAsync(await host.Alpha.GetAsync($"/api/v1/contacts/{user}"), HttpStatusCode.NotFound);
        await Http.AssertProblemAsync(await host.Alpha.GetAsync($"/api/v1/contacts/{user}/export"), HttpStatusCode.NotFound);
        var events = (await host.Alpha.GetJsonAsync($"/api/v1/products/{product}/events"))["results"]!.AsArray();
        Assert.Equal(kept, Assert.Single(events)!["user_id"]!.GetValue<string>());
        Assert.Empty((await host.Alpha.GetJsonAsync($"/api/v1/product-events?user_key={visitor}"))["results"]!.AsArray());
    }
}
