using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ProductEvents.Api.Tests.Segments;
using ProductEvents.Api.Tests.Support;

namespace ProductEvents.Api.Tests.Hosting;

/// <summary>
/// A durable silo sheds idle product and contact grains under its memory budget, and collects them once idle for
/// <c>ProductEvents:Memory:GrainCollectionAge</c>; a grain that went answers the same from its snapshot and the log.
/// Each test has a host and a database of its own: the first one's budget (1 MB, far below what any process holds)
/// makes every full collection of the heap shed every idle grain of its silo.
/// </summary>
[Collection(PostgresFixture.Collection)]
public sealed class MemoryBudgetTests(PostgresFixture postgres)
{
    [Fact]
    public async Task GrainsShedUnderTheBudgetAnswerTheSameFromTheirSnapshotsAndTheLog()
    {
        var database = await postgres.CreateMigratedDatabaseAsync("memory_shed");
        await using var host = await new TestHostBuilder()
            .WithSettings(Keys.Settings())
            .WithSetting("ProductEvents:Memory:BudgetMegabytes", "1")
            .WithPostgres(database)
            .StartAsync();
        var client = new ApiClient(host.CreateClient(), Keys.AlphaSecret);
        var (once, often) = (Ids.Product(), Ids.Product());
        var (visitor, buyer) = (Ids.User(), Ids.User());
        var single = Bodies.Event(once, visitor, "add to cart", Bodies.At(0));
        single["color"] = "red";
        await client.IngestAsync(single);
        await client.IngestBatchAsync(Enumerable.Range(0, 30).Select(i =>
        {
            var body = Bodies.Event(often, buyer, i % 3 == 0 ? "purchase" : "view", Bodies.At(i));
            body["price"] = 10 + i;
            return body;
        }));
        string[] reads = [$"/api/v1/products/{once}", $"/api/v1/products/{often}", $"/api/v1/contacts/{visitor}", $"/api/v1/contacts/{buyer}"];
        var before = await Task.WhenAll(reads.Select(client.GetJsonAsync));

        await WaitUntilShedAsync(host);

        var after = await Task.WhenAll(reads.Select(client.GetJsonAsync));
        for (var i = 0; i < reads.Length; i++)
        {
            Assert.True(JsonNode.DeepEquals(before[i], after[i]), $"{reads[i]}: {before[i]} became {after[i]}");
        }

        // Few unsaved entries: no snapshot, the log holds them; 30 (at least ProductEvents:Projections:CollectedSnapshotMinEntries): a snapshot.
        Assert.Equal(0, await SnapshotRowsAsync(database, $"{Keys.Alpha}/{once}"));
        Assert.Equal(1, await SnapshotRowsAsync(database, $"{Keys.Alpha}/{often}"));

        await client.IngestAsync(Bodies.Event(once, visitor, "purchase", Bodies.At(40)));
        var product = await client.GetJsonAsync($"/api/v1/products/{once}");
        Assert.Equal(1, product["event_counts"]!["add to cart"]!.GetValue<int>());
        Assert.Equal(1, product["event_counts"]!["purchase"]!.GetValue<int>());
        Assert.Equal("red", product["attributes"]!["color"]!.GetValue<string>());
        Assert.Equal(2, (await client.GetJsonAsync($"/api/v1/contacts/{visitor}"))["event_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task AStoppingSiloWritesSnapshotsOnlyOfGrainsWithManyUnsavedEntriesAndAnswersTheSameAfterTheRestart()
    {
        var database = await postgres.CreateMigratedDatabaseAsync("memory_stop");
        var (once, often) = (Ids.Product(), Ids.Product());
        var (visitor, buyer) = (Ids.User(), Ids.User());
        string[] reads = [$"/api/v1/products/{once}", $"/api/v1/products/{often}", $"/api/v1/contacts/{visitor}", $"/api/v1/contacts/{buyer}"];
        JsonNode?[] before;
        await using (var first = await new TestHostBuilder().WithSettings(Keys.Settings()).WithPostgres(database).StartAsync())
        {
            var client = new ApiClient(first.CreateClient(), Keys.AlphaSecret);
            await client.IngestAsync(Bodies.Event(once, visitor, "add to cart", Bodies.At(0)));
            await client.IngestBatchAsync(Enumerable.Range(0, 30).Select(i => Bodies.Event(often, buyer, i % 3 == 0 ? "purchase" : "view", Bodies.At(i))));
            before = await Task.WhenAll(reads.Select(client.GetJsonAsync));
        }

        // The stop: one unsaved entry is left to the log, 30 (at least CollectedSnapshotMinEntries) are written.
        Assert.Equal(0, await SnapshotRowsAsync(database, $"{Keys.Alpha}/{once}"));
        Assert.Equal(0, await SnapshotRowsAsync(database, $"{Keys.Alpha}/u/{visitor}"));
        Assert.Equal(1, await SnapshotRowsAsync(database, $"{Keys.Alpha}/{often}"));
        Assert.Equal(1, await SnapshotRowsAsync(database, $"{Keys.Alpha}/u/{buyer}"));

        await using var second = await new TestHostBuilder().WithSettings(Keys.Settings()).WithPostgres(database).StartAsync();
        var after = await Task.WhenAll(reads.Select(new ApiClient(second.CreateClient(), Keys.AlphaSecret).GetJsonAsync));
        for (var i = 0; i < reads.Length; i++)
        {
            Assert.True(JsonNode.DeepEquals(before[i], after[i]), $"{reads[i]}: {before[i]} became {after[i]}");
        }
    }

    [Fact]
    public async Task AContactCollectedWhileAMemberStaysOneWithoutAnotherJoin()
    {
        var database = await postgres.CreateMigratedDatabaseAsync("memory_age");
        await using var host = await new TestHostBuilder()
            .WithSettings(Keys.Settings())
            .WithSetting("ProductEvents:Memory:GrainCollectionAge", "00:00:02")
            .WithPostgres(database)
            .StartAsync();
        var client = new ApiClient(host.CreateClient(), Keys.AlphaSecret);
        var (product, user) = (Ids.Product(), Ids.User());
        var segment = await client.CreateReadyAsync("carts", """{"event": {"types": ["add to cart"], "product": {"product_id": {"eq": "PRODUCT"}}}}""".Replace("PRODUCT", product, StringComparison.Ordinal));
        await client.IngestAsync(Bodies.Event(product, user, "add to cart", Bodies.At(0)));
        await client.WaitMemberAsync(segment, user);
        var contact = await client.GetJsonAsync($"/api/v1/contacts/{user}");

        await Eventually.ReturnsAsync(() => ActiveAsync(host), active => active == 0, "the product and contact grains to be collected (the value is how many are active)");

        await client.IngestAsync(Bodies.Event(product, user, "view", Bodies.At(1)));
        var reloaded = await client.GetJsonAsync($"/api/v1/contacts/{user}");
        Assert.Equal(contact["event_count"]!.GetValue<int>() + 1, reloaded["event_count"]!.GetValue<int>());
        Assert.True(await client.IsMemberAsync(segment, user));
        var changes = (await client.GetJsonAsync($"/api/v1/segments/{segment}/changes"))["results"]!.AsArray();
        Assert.Equal("join", Assert.Single(changes)!["change"]!.GetValue<string>());
    }

    /// <summary>
    /// Full collections of the heap (Orleans sheds at most once per full collection, looking every second) until the
    /// silo has shed every product and contact grain.
    /// </summary>
    private static Task WaitUntilShedAsync(TestHost host)
    {
        var collected = Stopwatch.StartNew();
        GC.Collect();
        return Eventually.ReturnsAsync(
            () =>
            {
                if (collected.Elapsed > TimeSpan.FromMilliseconds(500))
                {
                    GC.Collect();
                    collected.Restart();
                }

                return ActiveAsync(host);
            },
            active => active == 0,
            "the product and contact grains to be shed (the value is how many are active)");
    }

    private static async Task<int> ActiveAsync(TestHost host)
    {
        var statistics = await host.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        return statistics
            .Where(s => s.GrainType.Contains("ProductGrain", StringComparison.Ordinal) || s.GrainType.Contains("ContactGrain", StringComparison.Ordinal))
            .Sum(s => s.ActivationCount);
    }

    private static async Task<long> SnapshotRowsAsync(string database, string grainKey)
    {
        await using var db = NpgsqlDataSource.Create(database);
        await using var command = db.CreateCommand("SELECT count(*) FROM orleans_storage WHERE grain_id_extension = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = grainKey });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
