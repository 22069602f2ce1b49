using ProductEvents.Api.Tests.Support;

namespace ProductEvents.Api.Tests.Reading;

/// <summary>A read right after a 202 sees that write: answers are sent only once reads wait for the commit's grains.</summary>
public abstract class ReadYourWritesTests(HostFixture host)
{
    [Collection(HostCollection.Name)]
    public sealed class InMemory(HostFixture host) : ReadYourWritesTests(host);

    [Collection(PostgresHostCollection.Name)]
    public sealed class Postgres(PostgresHostFixture host) : ReadYourWritesTests(host);

    [Fact]
    public async Task EachReadAfterAnAcknowledgedWriteSeesIt()
    {
        // Several writers at once, so commits and answers interleave as they do under load.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(WriteThenReadAsync)));
    }

    private async Task WriteThenReadAsync()
    {
        var productId = Ids.Product();
        var userId = Ids.User();
        for (var i = 1; i <= 100; i++)
        {
            var body = Bodies.Event(productId, userId, "view", Bodies.At(i));
            body["version"] = i;
            await host.Alpha.IngestAsync(body);

            var product = await host.Alpha.GetJsonAsync($"/api/v1/products/{productId}");
            var contact = await host.Alpha.GetJsonAsync($"/api/v1/contacts/{userId}");
            Assert.Equal(i, product["attributes"]!["version"]!.GetValue<int>());
            Assert.Equal(i, contact["event_count"]!.GetValue<int>());
        }
    }
}
