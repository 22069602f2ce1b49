using System.Text.Json.Nodes;
using ProductEvents.Api.Tests.Support;

namespace ProductEvents.Api.Tests.Ingest;

/// <summary>Commits that pile up while the grains are busy are applied together, still completely and in log order.</summary>
public abstract class ConcurrentIngestTests(HostFixture host)
{
    [Collection(HostCollection.Name)]
    public sealed class InMemory(HostFixture host) : ConcurrentIngestTests(host);

    [Collection(PostgresHostCollection.Name)]
    public sealed class Postgres(PostgresHostFixture host) : ConcurrentIngestTests(host);

    [Fact]
    public async Task EveryEventOfManyConcurrentBatchesIsAppliedBeforeAReadAnswers()
    {
        var productId = Ids.Product();
        var userId = Ids.User();
        var others = Enumerable.Range(0, 40).Select(_ => Ids.User()).ToArray();

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => host.Alpha.IngestBatchAsync(
        [
            .. Enumerable.Range(0, 10).Select(_ => Bodies.Event(productId, userId, "view")),
            Bodies.Event(productId, others[i], "purchase"),
        ])));

        var counts = (await host.Alpha.GetJsonAsync($"/api/v1/products/{productId}"))["event_counts"];
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"purchase": 40, "view": 400}"""), counts), counts!.ToJsonString());
        var contact = await host.Alpha.GetJsonAsync($"/api/v1/contacts/{userId}");
        Assert.Equal(400, contact["event_count"]!.GetValue<long>());
    }
}
