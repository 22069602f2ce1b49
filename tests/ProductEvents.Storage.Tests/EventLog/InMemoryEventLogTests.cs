using Microsoft.Extensions.Options;
using ProductEvents.Abstractions;
using ProductEvents.Grains.Tests.Support;
using ProductEvents.Storage.EventLog;

namespace ProductEvents.Storage.Tests.EventLog;

[Trait("Category", "Unit")]
public sealed class InMemoryEventLogTests
{
    private static readonly DateTimeOffset T0 = Events.T0;

    [Fact]
    public async Task AppendAssignsIncreasingLogPositionsInOrder()
    {
        var log = NewLog();

        var outcomes = (await log.AppendAsync([Events.Record(productId: "a"), Events.Record(productId: "b")])).Outcomes;
        var more = (await log.AppendAsync([Events.Record(productId: "c")])).Outcomes;

        Assert.Equal(new long[] { 1, 2, 3 }, outcomes.Concat(more).Select(o => o.Committed!.Seq));
        Assert.All(outcomes.Concat(more), o => Assert.False(o.IsDuplicate));
        Assert.Equal(new[] { "a", "b", "c" }, outcomes.Concat(more).Select(o => o.Committed!.ProductId));
    }

    [Fact]
    public async Task SameEventIdInSameAppIsADuplicateOfTheFirst()
    {
        var log = NewLog();
        var first = Events.Record(eventId: "e-1", attributes: Events.Attributes(("color", "red")));

        var committed = (await log.AppendAsync([first])).Outcomes[0];
        var again = (await log.AppendAsync([Events.Record(eventId: "e-1", attributes: Events.Attributes(("color", "blue")))])).Outcomes[0];

        Assert.False(committed.IsDuplicate);
        Assert.True(again.IsDuplicate);
        Assert.Equal(first.Id, again.Id);
        var page = await log.QueryAsync(Query());
        var stored = Assert.Single(page.Results);
        Assert.Equal("red", stored.Attributes["color"].Text);
    }

    [Fact]
    public async Task SameEventIdTwiceInOneAppendIsStoredOnce()
    {
        var log = NewLog();
        var first = Events.Record(eventId: "e-1");

        var outcomes = (await log.AppendAsync([first, Events.Record(eventId: "e-1")])).Outcomes;

        Assert.False(outcomes[0].IsDuplicate);
        Assert.True(outcomes[1].IsDuplicate);
        Assert.Equal(first.Id, outcomes[1].Id);
        Assert.Single((await log.QueryAsync(Query())).Results);
    }

    [Fact]
    public async Task SameEventIdInAnotherAppIsNotADuplicate()
    {
        var log = NewLog();

        await log.AppendAsync([Events.Record(appId: "a", eventId: "e-1")]);
        var other = (await log.AppendAsync([Events.Record(appId: "b", eventId: "e-1")])).Outcomes[0];

        Assert.False(other.IsDuplicate);
        Assert.Single((await log.QueryAsync(Query("b"))).Results);
    }

    [Fact]
    public async Task EventsWithoutEventIdAreNeverDuplicates()
    {
        var log = NewLog();

        var outcomes = (await log.AppendAsync([Events.Record(), Events.Record(), Events.Record()])).Outcomes;

        Assert.All(outcomes, o => Assert.False(o.IsDuplicate));
        Assert.Equal(3, (await log.QueryAsync(Query())).Results.Count);
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
    public async Task ReadProductReturnsOnlyThatProductsEntriesAfterTheGivenPosition()
    {
        var log = NewLog();
        await log.AppendAsync([
            Events.Record(productId: "p"),
            Events.Record(productId: "q"),
            Events.Record(productId: "p"),
            Events.Record(appId: "other", productId: "p"),
            Events.Record(productId: "p"),
        ]);

        Assert.Equal(new long[] { 1, 3, 5 }, (await ToListAsync(log.ReadProductAsync("app", "p", 0))).Select(e => e.Seq));
        Assert.Equal(new long[] { 3, 5 }, (await ToListAsync(log.ReadProductAsync("app", "p", 1))).Select(e => e.Seq));
        Assert.Equal(new long[] { 5 }, (await ToListAsync(log.ReadProductAsync("app", "p", 3))).Select(e => e.Seq));
        Assert.Empty(await ToListAsync(log.ReadProductAsync("app", "p", 5)));
        Assert.Equal(new long[] { 4 }, (await ToListAsync(log.ReadProductAsync("other", "p", 0))).Select(e => e.Seq));
        Assert.Empty(await ToListAsync(log.ReadProductAsync("app", "unknown", 0)));
    }

    [Fact]
    public async Task ReadContactSeparatesUsersFromVisitorsWithTheSameValue()
    {
        var log = NewLog();
        await log.AppendAsync([
            Events.Record(userId: "x"),
            Events.Record(userId: null, userKey: "x"),
            Events.Record(userId: "y"),
            Events.Record(userId: "x", userKey: "k"),
            Events.Record(userId: null, userKey: "x"),
        ]);

        Assert.Equal(new long[] { 1, 4 }, (await ToListAsync(log.ReadContactAsync("app", ContactRef.User("x"), 0))).Select(e => e.Seq));
        Assert.Equal(new long[] { 4 }, (await ToListAsync(log.ReadContactAsync("app", ContactRef.User("x"), 1))).Select(e => e.Seq));
        Assert.Equal(new long[] { 2, 5 }, (await ToListAsync(log.ReadContactAsync("app", ContactRef.Visitor("x"), 0))).Select(e => e.Seq));
        Assert.Empty(await ToListAsync(log.ReadContactAsync("app", ContactRef.Visitor("k"), 0)));
        Assert.Empty(await ToListAsync(log.ReadContactAsync("other", ContactRef.User("x"), 0)));
    }

    [Fact]
    public async Task QueryListsNewestEventTimeFirstNotArrivalOrder()
    {
        var log = NewLog();
        await log.AppendAsync([
            Events.Record(timestamp: T0.AddMinutes(2), attributes: Events.Attributes(("n", "b"))),
            Events.Record(timestamp: T0.AddMinutes(5), attributes: Events.Attributes(("n", "d"))),
            Events.Record(timestamp: T0, attributes: Events.Attributes(("n", "a"))),
            Events.Record(timestamp: T0.AddMinutes(2), attributes: Events.Attributes(("n", "c"))),
        ]);

        var page = await log.QueryAsync(Query());

        Assert.Equal(new[] { "d", "c", "b", "a" }, page.Results.Select(e => e.Attributes["n"].Text));
        Assert.Null(page.Next);
    }

    [Fact]
    public async Task QueryFiltersByTypeProductUserAndKey()
    {
        var log = NewLog();
        await log.AppendAsync([
            Events.Record(productId: "p", userId: "u", type: ProductEventType.View),
            Events.Record(productId: "p", userId: "v", type: ProductEventType.Purchase),
            Events.Record(productId: "q", userId: "u", type: ProductEventType.Purchase),
            Events.Record(productId: "q", userId: null, userKey: "k", type: ProductEventType.View),
            Events.Record(appId: "other", productId: "p", userId: "u", type: ProductEventType.View),
        ]);

        Assert.Equal(new long[] { 4, 1 }, await SeqsAsync(log, Query() with { Type = ProductEventType.View }));
        Assert.Equal(new long[] { 2, 1 }, await SeqsAsync(log, Query() with { ProductId = "p" }));
        Assert.Equal(new long[] { 3, 1 }, await SeqsAsync(log, Query() with { UserId = "u" }));
        Assert.Equal(new long[] { 4 }, await SeqsAsync(log, Query() with { UserKey = "k" }));
        Assert.Equal(new long[] { 3 }, await SeqsAsync(log, Query() with { ProductId = "q", UserId = "u" }));
        Assert.Equal(new long[] { 2 }, await SeqsAsync(log, Query() with { ProductId = "p", Type = ProductEventType.Purchase }));
        Assert.Equal(new long[] { 5 }, await SeqsAsync(log, Query("other")));
        Assert.Empty(await SeqsAsync(log, Query("nobody")));
    }

    [Fact]
    public async Task QuerySinceIsInclusiveAndUntilExclusive()
    {
        var log = NewLog();
        await log.AppendAsync([
            Events.Record(timestamp: T0),
            Events.Record(timestamp: T0.AddHours(1)),
            Events.Record(timestamp: T0.AddHours(2)),
            Events.Record(timestamp: T0.AddHours(3)),
        ]);

        Assert.Equal(new long[] { 3, 2 }, await SeqsAsync(log, Query() with { Since = T0.AddHours(1), Until = T0.AddHours(3) }));
        Assert.Equal(new long[] { 4, 3 }, await SeqsAsync(log, Query() with { Since = T0.AddHours(2) }));
        Assert.Equal(new long[] { 1 }, await SeqsAsync(log, Query() with { Until = T0.AddHours(1) }));
    }

    [Fact]
    public async Task CursorPagingVisitsEveryMatchOnceInOrder()
    {
        var log = NewLog();
        var events = Enumerable.Range(0, 23)
            .Select(i => Events.Record(timestamp: T0.AddMinutes(i % 7), type: i % 3 == 0 ? ProductEventType.View : ProductEventType.Click))
            .ToArray();
        await log.AppendAsync(events);

        var seen = new List<ProductEventRecord>();
        EventCursor? cursor = null;
        var pages = 0;
        do
        {
            var page = await log.QueryAsync(Query() with { Limit = 4, After = cursor });
            Assert.True(page.Results.Count <= 4);
            seen.AddRange(page.Results);
            cursor = page.Next;
            pages++;
        }
        while (cursor is not null && pages < 100);

        Assert.Equal(6, pages);
        Assert.Equal(23, seen.Count);
        Assert.Equal(23, seen.Select(e => e.Seq).Distinct().Count());
        var expected = seen.OrderByDescending(e => e.Timestamp).ThenByDescending(e => e.Seq).Select(e => e.Seq);
        Assert.Equal(expected, seen.Select(e => e.Seq));
    }

    [Fact]
    public async Task PageThatEndsExactlyAtTheLastMatchHasNoNext()
    {
        var log = NewLog();
        await log.AppendAsync([Events.Record(), Events.Record(), Events.Record()]);

        var page = await log.QueryAsync(Query() with { Limit = 3 });

        Assert.Equal(3, page.Results.Count);
        Assert.Null(page.Next);
    }

    [Fact]
    public async Task NextCursorPointsAtTheLastEntryOfThePage()
    {
        var log = NewLog();
        await log.AppendAsync([Events.Record(timestamp: T0), Events.Record(timestamp: T0.AddMinutes(1)), Events.Record(timestamp: T0.AddMinutes(2))]);

        var page = await log.QueryAsync(Query() with { Limit = 2 });

        Assert.Equal(new EventCursor(T0.AddMinutes(1), 2), page.Next);
    }

    [Fact]
    public async Task EventsAppendedAfterACursorWithNewerTimesDoNotShowOnLaterPages()
    {
        var log = NewLog();
        await log.AppendAsync([Events.Record(timestamp: T0), Events.Record(timestamp: T0.AddMinutes(1)), Events.Record(timestamp: T0.AddMinutes(2))]);
        var first = await log.QueryAsync(Query() with { Limit = 2 });

        await log.AppendAsync([Events.Record(timestamp: T0.AddMinutes(10))]);
        var second = await log.QueryAsync(Query() with { Limit = 2, After = first.Next });

        Assert.Equal(new long[] { 1 }, second.Results.Select(e => e.Seq));
        Assert.Null(second.Next);
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

    private static async Task<long[]> SeqsAsync(InMemoryEventLog log, EventQuery query) =>
        (await log.QueryAsync(query)).Results.Select(e => e.Seq).ToArray();

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
