using Microsoft.Extensions.Options;
using ProductEvents.Abstractions;
using ProductEvents.Grains.Tests.Support;
using ProductEvents.Storage.EventLog;

namespace ProductEvents.Storage.Tests.EventLog;

/// <summary>What only the in-memory log does, beyond its contract (Contracts/EventLogContract): a ring of the newest events.</summary>
[Trait("Category", "Unit")]
public sealed class InMemoryEventLogTests
{
    private static readonly DateTimeOffset T0 = Events.T0;

    [Fact]
    public async Task PositionsCountFromOneWithoutGaps()
    {
        var log = NewLog();

        var outcomes = (await log.AppendAsync([Events.Record(productId: "a"), Events.Record(productId: "b")])).Outcomes;
        var more = (await log.AppendAsync([Events.Record(productId: "c")])).Outcomes;

        Assert.Equal(new long[] { 1, 2, 3 }, outcomes.Concat(more).Select(o => o.Committed!.Seq));
    }

    [Fact]
    public async Task CapacityKeepsTheNewestEvents()
    {
        var log = NewLog(capacity: 3);

        for (var i = 1; i <= 5; i++)
        {
            await log.AppendAsync([Events.Record(productId: "p", timestamp: T0.AddMinutes(i), attributes: Events.Attributes(("n", $"{i}")))]);
        }

        var page = await log.QueryAsync(Query());
        Assert.Equal(new[] { "5", "4", "3" }, page.Results.Select(e => e.Attributes["n"].Text));
        var replay = await ToListAsync(log.ReadProductAsync("app", "p", 0));
        Assert.Equal(new long[] { 3, 4, 5 }, replay.Select(e => e.Seq));
    }

    [Fact]
    public async Task EvictionKeepsIndexesOfOtherKeysRight()
    {
        var log = NewLog(capacity: 2);

        await log.AppendAsync([Events.Record(productId: "a", userId: "u-a")]);
        await log.AppendAsync([Events.Record(productId: "b", userId: "u-b")]);
        await log.AppendAsync([Events.Record(productId: "b", userId: "u-b")]);
        await log.AppendAsync([Events.Record(productId: "a", userId: "u-a")]);

        Assert.Equal(new long[] { 4 }, (await ToListAsync(log.ReadProductAsync("app", "a", 0))).Select(e => e.Seq));
        Assert.Equal(new long[] { 3 }, (await ToListAsync(log.ReadProductAsync("app", "b", 0))).Select(e => e.Seq));
        Assert.Equal(new long[] { 3 }, (await ToListAsync(log.ReadContactAsync("app", ContactRef.User("u-b"), 0))).Select(e => e.Seq));
        Assert.Equal(new long[] { 4 }, (await log.QueryAsync(Query() with { ProductId = "a" })).Results.Select(e => e.Seq));
        Assert.Equal(new long[] { 3 }, (await log.QueryAsync(Query() with { UserId = "u-b" })).Results.Select(e => e.Seq));
    }

    [Fact]
    public async Task DuplicateIsRecognisedWhileTheFirstEventIsHeld()
    {
        var log = NewLog(capacity: 3);
        var first = Events.Record(eventId: "e-1");
        await log.AppendAsync([first, Events.Record()]);

        var again = (await log.AppendAsync([Events.Record(eventId: "e-1")])).Outcomes[0];

        Assert.True(again.IsDuplicate);
        Assert.Equal(first.Id, again.Id);
    }

    [Fact]
    public void CapacityBelowOneIsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => NewLog(capacity: 0));
    }

    [Fact]
    public async Task LogIsReadyAndDescribesItsCapacity()
    {
        var log = NewLog(capacity: 1234);

        Assert.True(await log.IsReadyAsync());
        Assert.Contains("1234", log.Describe(), StringComparison.Ordinal);
    }

    private static InMemoryEventLog NewLog(int capacity = 1000) =>
        new(Options.Create(new EventLogOptions { MemoryCapacity = capacity }));

    private static EventQuery Query(string appId = "app") =>
        new(appId, ProductId: null, UserId: null, UserKey: null, Type: null, Since: null, Until: null, Limit: 100, After: null);

    private static async Task<List<ProductEventRecord>> ToListAsync(IAsyncEnumerable<ProductEventRecord> entries)
    {
        var list = new List<ProductEventRecord>();
        await foreach (var entry in entries)
        {
            list.Add(entry);
        }

        return list;
    }
}
