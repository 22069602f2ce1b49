using System.Text.Json.Nodes;
using ProductEvents.Abstractions;
using ProductEvents.Abstractions.Segments;
using ProductEvents.Grains.Tests.Support;
using ProductEvents.Storage.EventLog;

namespace ProductEvents.Storage.Tests.Contracts;

/// <summary>
/// What every <see cref="IEventLog"/> does: appends commit in order under increasing log positions, an event id is
/// applied once per app, replays read one key's entries after a position, listings go newest event time first with a
/// cursor, a user's listing includes the visitors merged into it, and every read keeps to its app. Some reads span
/// every app, so each test needs a log of its own.
/// </summary>
public abstract class EventLogContract : IAsyncLifetime
{
    protected const string App = "app";
    protected const string OtherApp = "other";

    private static readonly DateTimeOffset T0 = Events.T0;
    private static readonly IReadOnlyDictionary<string, AttributeValue> NoAttributes = new Dictionary<string, AttributeValue>();

    private IEventLog? _log;

    protected IEventLog Log => _log ?? throw new InvalidOperationException("The log has not been created.");

    /// <summary>A new, empty log.</summary>
    protected abstract Task<IEventLog> CreateLogAsync();

    /// <summary>
    /// The log as a new instance on the same storage finds it, as after a restart; a log that is its own storage
    /// answers itself.
    /// </summary>
    protected abstract Task<IEventLog> OpenAgainAsync();

    public async Task InitializeAsync() => _log = await CreateLogAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task AppendAssignsIncreasingLogPositionsInOrder()
    {
        var outcomes = (await Log.AppendAsync([Events.Record(productId: "a"), Events.Record(productId: "b")])).Outcomes;
        var more = (await Log.AppendAsync([Events.Record(productId: "c")])).Outcomes;

        var all = outcomes.Concat(more).ToList();
        Assert.All(all, o => Assert.False(o.IsDuplicate));
        Assert.Equal(["a", "b", "c"], all.Select(o => o.Committed!.ProductId));
        var seqs = all.Select(o => o.Committed!.Seq).ToList();
        Assert.True(seqs[0] > 0 && seqs[0] < seqs[1] && seqs[1] < seqs[2], $"positions {string.Join(", ", seqs)}");
    }

    [Fact]
    public async Task ACommittedEntryReadsBackWithEveryField()
    {
        var sent = Events.Record(
            productId: "p-1", type: ProductEventType.Purchase, userId: "u-1", userKey: "k-1", name: "Shoe \"Runner\" ü",
            timestamp: T0.AddMinutes(-5), receivedAt: T0, eventId: "order-1",
            attributes: new Dictionary<string, AttributeValue>
            {
                ["color"] = AttributeValue.FromString("red"), ["price"] = AttributeValue.FromNumberText("19.90"),
                ["count"] = AttributeValue.FromNumberText("3"), ["sale"] = AttributeValue.True, ["gone"] = AttributeValue.Null,
            },
            customDataJson: """{"a": [1, 2.50, "x"], "b": {"c": null}}""");

        var committed = Assert.Single((await Log.AppendAsync([sent])).Outcomes).Committed!;

        var expected = sent with { Seq = committed.Seq };
        AssertSameEntry(expected, committed);
        AssertSameEntry(expected, Assert.Single(await ToListAsync(Log.ReadProductAsync(App, "p-1", 0))));
        AssertSameEntry(expected, Assert.Single(await ToListAsync(Log.ReadContactAsync(App, ContactRef.User("u-1"), 0))));
        AssertSameEntry(expected, Assert.Single((await Log.QueryAsync(Query())).Results));
        var reopened = await OpenAgainAsync();
        AssertSameEntry(expected, Assert.Single(await ToListAsync(reopened.ReadProductAsync(App, "p-1", 0))));
    }

    [Fact]
    public async Task AnAppsEntriesAfterAPositionAreItsOwnInLogOrderThroughTheNewestPosition()
    {
        var committed = (await Log.AppendAsync([
            Events.Record(productId: "a"), Events.Record(productId: "x") with { AppId = OtherApp }, Events.Record(productId: "b"),
            Events.Record(productId: "c"), Events.Record(productId: "y") with { AppId = OtherApp },
        ])).Outcomes.Select(o => o.Committed!).ToList();

        var all = await Log.ReadAppAfterAsync(App, 0, 10);
        var page = await Log.ReadAppAfterAsync(App, 0, 2);
        var rest = await Log.ReadAppAfterAsync(App, page.Through, 10);

        Assert.Equal(["a", "b", "c"], all.Entries.Select(e => e.ProductId));
        Assert.Equal(committed[^1].Seq, all.Through);
        Assert.Equal(["a", "b"], page.Entries.Select(e => e.ProductId));
        Assert.Equal(committed[2].Seq, page.Through);
        Assert.Equal(["c"], rest.Entries.Select(e => e.ProductId));
        Assert.Equal(committed[^1].Seq, rest.Through);
        Assert.Empty((await Log.ReadAppAfterAsync(App, committed[^1].Seq, 10)).Entries);
    }

    [Fact]
    public async Task SameEventIdInSameAppIsADuplicateOfTheFirst()
    {
        var first = Events.Record(eventId: "e-1", attributes: Events.Attributes(("color", "red")));

        var committed = (await Log.AppendAsync([first])).Outcomes[0];
        var again = (await Log.AppendAsync([Events.Record(eventId: "e-1", attributes: Events.Attributes(("color", "blue")))])).Outcomes[0];

        Assert.False(committed.IsDuplicate);
        Assert.True(again.IsDuplicate);
        Assert.Equal(first.Id, again.Id);
        var stored = Assert.Single((await Log.QueryAsync(Query())).Results);
        Assert.Equal("red", stored.Attributes["color"].Text);
    }

    [Fact]
    public async Task SameEventIdTwiceInOneAppendIsStoredOnce()
    {
        var first = Events.Record(eventId: "e-1");

        var outcomes = (await Log.AppendAsync([first, Events.Record(eventId: "e-1")])).Outcomes;

        Assert.False(outcomes[0].IsDuplicate);
        Assert.True(outcomes[1].IsDuplicate);
        Assert.Equal(first.Id, outcomes[1].Id);
        Assert.Single((await Log.QueryAsync(Query())).Results);
    }

    [Fact]
    public async Task SameEventIdInAnotherAppIsNotADuplicate()
    {
        await Log.AppendAsync([Events.Record(appId: App, eventId: "e-1")]);
        var other = (await Log.AppendAsync([Events.Record(appId: OtherApp, eventId: "e-1")])).Outcomes[0];

        Assert.False(other.IsDuplicate);
        Assert.Single((await Log.QueryAsync(Query(OtherApp))).Results);
    }

    [Fact]
    public async Task EventsWithoutEventIdAreNeverDuplicates()
    {
        var outcomes = (await Log.AppendAsync([Events.Record(), Events.Record(), Events.Record()])).Outcomes;

        Assert.All(outcomes, o => Assert.False(o.IsDuplicate));
        Assert.Equal(3, (await Log.QueryAsync(Query())).Results.Count);
    }

    [Fact]
    public async Task AnEventIdAppendedByManyCallersAtOnceIsCommittedOnce()
    {
        var attempts = Enumerable.Range(0, 16).Select(i => Events.Record(productId: $"p-{i}", eventId: "order-1")).ToList();

        var results = await Task.WhenAll(attempts.Select(e => Task.Run(() => Log.AppendAsync([e]))));

        var outcomes = results.Select(r => Assert.Single(r.Outcomes)).ToList();
        var committed = Assert.Single(outcomes, o => !o.IsDuplicate);
        Assert.All(outcomes.Where(o => o.IsDuplicate), o => Assert.Equal(committed.Id, o.DuplicateOf));
        Assert.Equal(committed.Id, Assert.Single((await Log.QueryAsync(Query())).Results).Id);
        Assert.Equal(1, await Log.CountAsync(Query()));
    }

    [Fact]
    public async Task ReadProductReturnsOnlyThatProductsEntriesAfterTheGivenPosition()
    {
        var s = Seqs(await Log.AppendAsync([
            Events.Record(productId: "p"),
            Events.Record(productId: "q"),
            Events.Record(productId: "p"),
            Events.Record(appId: OtherApp, productId: "p"),
            Events.Record(productId: "p"),
        ]));

        Assert.Equal([s[0], s[2], s[4]], await ReadProductSeqsAsync(App, "p", 0));
        Assert.Equal([s[2], s[4]], await ReadProductSeqsAsync(App, "p", s[0]));
        Assert.Equal([s[4]], await ReadProductSeqsAsync(App, "p", s[2]));
        Assert.Empty(await ReadProductSeqsAsync(App, "p", s[4]));
        Assert.Equal([s[3]], await ReadProductSeqsAsync(OtherApp, "p", 0));
        Assert.Empty(await ReadProductSeqsAsync(App, "unknown", 0));
    }

    [Fact]
    public async Task ReadContactSeparatesUsersFromVisitorsWithTheSameValue()
    {
        var s = Seqs(await Log.AppendAsync([
            Events.Record(userId: "x"),
            Events.Record(userId: null, userKey: "x"),
            Events.Record(userId: "y"),
            Events.Record(userId: "x", userKey: "k"),
            Events.Record(userId: null, userKey: "x"),
        ]));

        Assert.Equal([s[0], s[3]], await ReadContactSeqsAsync(App, ContactRef.User("x"), 0));
        Assert.Equal([s[3]], await ReadContactSeqsAsync(App, ContactRef.User("x"), s[0]));
        Assert.Equal([s[1], s[4]], await ReadContactSeqsAsync(App, ContactRef.Visitor("x"), 0));
        Assert.Empty(await ReadContactSeqsAsync(App, ContactRef.Visitor("k"), 0));
        Assert.Empty(await ReadContactSeqsAsync(OtherApp, ContactRef.User("x"), 0));
    }

    [Fact]
    public async Task ALateEventIsListedByItsEventTimeButReplayedInLogOrder()
    {
        var first = Seqs(await Log.AppendAsync([Events.Record(timestamp: T0, receivedAt: T0)]))[0];
        var late = Seqs(await Log.AppendAsync([Events.Record(timestamp: T0.AddDays(-2), receivedAt: T0.AddMinutes(1))]))[0];
        var newer = Seqs(await Log.AppendAsync([Events.Record(timestamp: T0.AddHours(1), receivedAt: T0.AddMinutes(2))]))[0];

        Assert.Equal([newer, first, late], await SeqsAsync(Query()));
        Assert.Equal([newer, first], await SeqsAsync(Query() with { Since = T0.AddDays(-1) }));
        Assert.Equal([first, late, newer], await ReadProductSeqsAsync(App, "p-1", 0));
        Assert.Equal([first, late, newer], await ReadContactSeqsAsync(App, ContactRef.User("u-1"), 0));
    }

    [Fact]
    public async Task QueryListsNewestEventTimeFirstNotArrivalOrder()
    {
        await Log.AppendAsync([
            Events.Record(timestamp: T0.AddMinutes(2), attributes: Events.Attributes(("n", "b"))),
            Events.Record(timestamp: T0.AddMinutes(5), attributes: Events.Attributes(("n", "d"))),
            Events.Record(timestamp: T0, attributes: Events.Attributes(("n", "a"))),
            Events.Record(timestamp: T0.AddMinutes(2), attributes: Events.Attributes(("n", "c"))),
        ]);

        var page = await Log.QueryAsync(Query());

        Assert.Equal(["d", "c", "b", "a"], page.Results.Select(e => e.Attributes["n"].Text));
        Assert.Null(page.Next);
    }

    [Fact]
    public async Task QueryFiltersByTypeProductUserAndKey()
    {
        var s = Seqs(await Log.AppendAsync([
            Events.Record(productId: "p", userId: "u", type: ProductEventType.View),
            Events.Record(productId: "p", userId: "v", type: ProductEventType.Purchase),
            Events.Record(productId: "q", userId: "u", type: ProductEventType.Purchase),
            Events.Record(productId: "q", userId: null, userKey: "k", type: ProductEventType.View),
            Events.Record(appId: OtherApp, productId: "p", userId: "u", type: ProductEventType.View),
        ]));

        Assert.Equal([s[3], s[0]], await SeqsAsync(Query() with { Type = ProductEventType.View }));
        Assert.Equal([s[1], s[0]], await SeqsAsync(Query() with { ProductId = "p" }));
        Assert.Equal([s[2], s[0]], await SeqsAsync(Query() with { UserId = "u" }));
        Assert.Equal([s[3]], await SeqsAsync(Query() with { UserKey = "k" }));
        Assert.Equal([s[2]], await SeqsAsync(Query() with { ProductId = "q", UserId = "u" }));
        Assert.Equal([s[1]], await SeqsAsync(Query() with { ProductId = "p", Type = ProductEventType.Purchase }));
        Assert.Equal([s[4]], await SeqsAsync(Query(OtherApp)));
        Assert.Empty(await SeqsAsync(Query("nobody")));
    }

    [Fact]
    public async Task QuerySinceIsInclusiveAndUntilExclusive()
    {
        var s = Seqs(await Log.AppendAsync([
            Events.Record(timestamp: T0),
            Events.Record(timestamp: T0.AddHours(1)),
            Events.Record(timestamp: T0.AddHours(2)),
            Events.Record(timestamp: T0.AddHours(3)),
        ]));

        Assert.Equal([s[2], s[1]], await SeqsAsync(Query() with { Since = T0.AddHours(1), Until = T0.AddHours(3) }));
        Assert.Equal([s[3], s[2]], await SeqsAsync(Query() with { Since = T0.AddHours(2) }));
        Assert.Equal([s[0]], await SeqsAsync(Query() with { Until = T0.AddHours(1) }));
    }

    [Fact]
    public async Task CountMatchesTheListingsFiltersAndIgnoresItsLimitAndCursor()
    {
        await Log.AppendAsync([
            Events.Record(productId: "p", userId: "u", type: ProductEventType.View, timestamp: T0),
            Events.Record(productId: "p", userId: "v", type: ProductEventType.Purchase, timestamp: T0.AddMinutes(1)),
            Events.Record(productId: "q", userId: "u", type: ProductEventType.View, timestamp: T0.AddMinutes(2)),
            Events.Record(productId: "q", userId: null, userKey: "k", type: ProductEventType.View, timestamp: T0.AddMinutes(3)),
            Events.Record(appId: OtherApp, productId: "p", userId: "u", type: ProductEventType.View),
        ]);
        var ignored = Query() with { Limit = 1, After = new EventCursor(T0.AddYears(-1), 1) };

        Assert.Equal(4, await Log.CountAsync(ignored));
        Assert.Equal(3, await Log.CountAsync(ignored with { Type = ProductEventType.View }));
        Assert.Equal(2, await Log.CountAsync(ignored with { UserId = "u" }));
        Assert.Equal(1, await Log.CountAsync(ignored with { ProductId = "q", UserKey = "k" }));
        Assert.Equal(2, await Log.CountAsync(ignored with { Since = T0.AddMinutes(1), Until = T0.AddMinutes(3) }));
        Assert.Equal(1, await Log.CountAsync(Query(OtherApp)));
        Assert.Equal(0, await Log.CountAsync(Query("nobody")));
    }

    [Fact]
    public async Task CursorPagingVisitsEveryMatchOnceInOrder()
    {
        var events = Enumerable.Range(0, 23)
            .Select(i => Events.Record(timestamp: T0.AddMinutes(i % 7), type: i % 3 == 0 ? ProductEventType.View : ProductEventType.Click))
            .ToArray();
        await Log.AppendAsync(events);

        var seen = new List<ProductEventRecord>();
        EventCursor? cursor = null;
        var pages = 0;
        do
        {
            var page = await Log.QueryAsync(Query() with { Limit = 4, After = cursor });
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
        await Log.AppendAsync([Events.Record(), Events.Record(), Events.Record()]);

        var page = await Log.QueryAsync(Query() with { Limit = 3 });

        Assert.Equal(3, page.Results.Count);
        Assert.Null(page.Next);
    }

    [Fact]
    public async Task NextCursorPointsAtTheLastEntryOfThePage()
    {
        var s = Seqs(await Log.AppendAsync([Events.Record(timestamp: T0), Events.Record(timestamp: T0.AddMinutes(1)), Events.Record(timestamp: T0.AddMinutes(2))]));

        var page = await Log.QueryAsync(Query() with { Limit = 2 });

        Assert.Equal(new EventCursor(T0.AddMinutes(1), s[1]), page.Next);
    }

    [Fact]
    public async Task EventsAppendedAfterACursorWithNewerTimesDoNotShowOnLaterPages()
    {
        var s = Seqs(await Log.AppendAsync([Events.Record(timestamp: T0), Events.Record(timestamp: T0.AddMinutes(1)), Events.Record(timestamp: T0.AddMinutes(2))]));
        var first = await Log.QueryAsync(Query() with { Limit = 2 });

        await Log.AppendAsync([Events.Record(timestamp: T0.AddMinutes(10))]);
        var second = await Log.QueryAsync(Query() with { Limit = 2, After = first.Next });

        Assert.Equal([s[0]], second.Results.Select(e => e.Seq));
        Assert.Null(second.Next);
    }

    [Fact]
    public async Task AUsersListingAndCountIncludeTheVisitorsMergedIntoIt()
    {
        var s = Seqs(await Log.AppendAsync([
            Events.Record(userId: "u", timestamp: T0.AddMinutes(1)),
            Events.Record(userId: null, userKey: "k1", timestamp: T0.AddMinutes(2)),
            Events.Record(userId: null, userKey: "k2", timestamp: T0.AddMinutes(3)),
            Events.Record(userId: "u", userKey: "k2", timestamp: T0.AddMinutes(4)),
            Events.Record(userId: null, userKey: "k3", timestamp: T0.AddMinutes(5)),
            Events.Record(appId: OtherApp, userId: null, userKey: "k1", timestamp: T0.AddMinutes(6)),
        ]));

        // k2 was merged by the event that carried both ids; k1 is merged by an identify.
        await Log.AddAliasAsync(App, "k1", "u");

        Assert.Equal([s[3], s[2], s[1], s[0]], await SeqsAsync(Query() with { UserId = "u" }));
        Assert.Equal(4, await Log.CountAsync(Query() with { UserId = "u" }));
        Assert.Equal([s[3], s[2]], await SeqsAsync(Query() with { UserId = "u", UserKey = "k2" }));
        Assert.Equal([s[2], s[1]], await SeqsAsync(Query() with { UserId = "u", Since = T0.AddMinutes(2), Until = T0.AddMinutes(4) }));
        Assert.Empty(await SeqsAsync(Query(OtherApp) with { UserId = "u" }));
    }

    [Fact]
    public async Task TheFirstContactToClaimAVisitorKeyKeepsIt()
    {
        Assert.Equal("u1", await Log.AddAliasAsync(App, "k1", "u1"));
        Assert.Equal("u1", await Log.AddAliasAsync(App, "k1", "u2"));
        await Log.AppendAsync([Events.Record(userId: "u3", userKey: "k1"), Events.Record(userId: "u3", userKey: "k3")]);
        Assert.Equal("u3", await Log.AddAliasAsync(App, "k3", "u1"));
        Assert.Equal("u4", await Log.AddAliasAsync(OtherApp, "k1", "u4"));

        var owners = await Log.ResolveAliasesAsync(App, ["k1", "k3", "never-merged"]);

        Assert.Equal([("k1", "u1"), ("k3", "u3")], owners.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => (o.Key, o.Value)));
        Assert.Empty(await Log.ResolveAliasesAsync(App, []));
        Assert.Equal(["k1"], await Log.ReadAliasedKeysAsync(App, "u1"));
        Assert.Empty(await Log.ReadAliasedKeysAsync(App, "u2"));
        Assert.Equal(["k3"], await Log.ReadAliasedKeysAsync(App, "u3"));
        Assert.Equal(["k1"], (await Log.ResolveAliasesAsync(OtherApp, ["k1", "k3"])).Keys);
    }

    [Fact]
    public async Task ADuplicateMergesNoVisitor()
    {
        await Log.AppendAsync([Events.Record(userId: "u1", eventId: "e-1")]);

        var retry = await Log.AppendAsync([Events.Record(userId: "u2", userKey: "k1", eventId: "e-1")]);

        Assert.True(Assert.Single(retry.Outcomes).IsDuplicate);
        Assert.Empty(await Log.ResolveAliasesAsync(App, ["k1"]));
        Assert.Empty(await Log.ReadAliasedKeysAsync(App, "u2"));
    }

    [Fact]
    public async Task ContactsAreListedVisitorsFirstInKeyOrderAndPagedAfterAKey()
    {
        await Log.AppendAsync([
            Events.Record(userId: "b"), Events.Record(userId: null, userKey: "z"), Events.Record(userId: "a"), Events.Record(userId: "a"),
            Events.Record(userId: null, userKey: "m"), Events.Record(userId: "c", userKey: "y"), Events.Record(appId: OtherApp, userId: "d"),
        ]);

        var first = await Log.ListContactsAsync(App, null, 2);
        var second = await Log.ListContactsAsync(App, ContactKeys.Of(first[^1]), 2);
        var third = await Log.ListContactsAsync(App, ContactKeys.Of(second[^1]), 2);

        Assert.Equal([ContactRef.Visitor("m"), ContactRef.Visitor("z")], first);
        Assert.Equal([ContactRef.User("a"), ContactRef.User("b")], second);
        Assert.Equal([ContactRef.User("c")], third);
        Assert.Empty(await Log.ListContactsAsync(App, ContactKeys.Of(third[^1]), 2));
        Assert.Equal(5, await Log.CountContactsAsync(App));
        Assert.Equal([ContactRef.User("d")], await Log.ListContactsAsync(OtherApp, null, 10));
        Assert.Equal(1, await Log.CountContactsAsync(OtherApp));
        Assert.Empty(await Log.ListContactsAsync("nobody", null, 10));
        Assert.Equal(0, await Log.CountContactsAsync("nobody"));
    }

    [Fact]
    public async Task TheContactsOfAProductAreEachListedOnce()
    {
        await Log.AppendAsync([
            Events.Record(productId: "p", userId: "a"), Events.Record(productId: "p", userId: "a"), Events.Record(productId: "p", userId: null, userKey: "k"),
            Events.Record(productId: "p", userId: "b", userKey: "kb"), Events.Record(productId: "q", userId: "c"), Events.Record(appId: OtherApp, productId: "p", userId: "d"),
        ]);

        var contacts = await Log.ListContactsOfProductAsync(App, "p");

        Assert.Equal([ContactRef.Visitor("k"), ContactRef.User("a"), ContactRef.User("b")], contacts.OrderBy(ContactKeys.Of, StringComparer.Ordinal));
        Assert.Empty(await Log.ListContactsOfProductAsync(App, "unknown"));
    }

    [Fact]
    public async Task RecentContactsAreThoseOfTheNewestEntriesReceivedWithinTheWindowOfTheNewest()
    {
        Assert.Empty(await Log.ListRecentContactsAsync(TimeSpan.FromHours(1), 100));
        await Log.AppendAsync([
            Events.Record(userId: "a", receivedAt: T0), Events.Record(userId: null, userKey: "b", receivedAt: T0.AddSeconds(10)),
            Events.Record(appId: OtherApp, userId: "c", receivedAt: T0.AddSeconds(20)),
        ]);
        await Log.AppendAsync([Events.Record(userId: "d", receivedAt: T0.AddSeconds(30)), Events.Record(userId: "d", receivedAt: T0.AddSeconds(30))]);

        Assert.Equal([(OtherApp, "u/c"), (App, "u/d")], await RecentAsync(TimeSpan.FromSeconds(15), 100));
        Assert.Equal([(App, "k/b"), (App, "u/a"), (OtherApp, "u/c"), (App, "u/d")], await RecentAsync(TimeSpan.FromHours(1), 100));
        Assert.Equal([(App, "u/d")], await RecentAsync(TimeSpan.FromHours(1), 2));
        Assert.Equal([(OtherApp, "u/c"), (App, "u/d")], await RecentAsync(TimeSpan.FromHours(1), 3));
    }

    [Fact]
    public async Task UnknownKeysReadNothing()
    {
        await Log.AppendAsync([Events.Record(userId: "u-1", productId: "p-1")]);

        Assert.Empty(await ReadProductSeqsAsync(App, "unknown", 0));
        Assert.Empty(await ReadContactSeqsAsync(App, ContactRef.User("unknown"), 0));
        Assert.Empty(await ReadContactSeqsAsync(App, ContactRef.Visitor("u-1"), 0));
        Assert.Empty(await ReadProductSeqsAsync(OtherApp, "p-1", 0));
        Assert.Empty(await Log.ListContactsOfProductAsync(OtherApp, "p-1"));
        Assert.Empty(await Log.ReadAliasedKeysAsync(App, "u-1"));
        var page = await Log.QueryAsync(Query(OtherApp));
        Assert.Empty(page.Results);
        Assert.Null(page.Next);
    }

    [Fact]
    public async Task ConcurrentReadsOfManyKeysEachGetTheirOwnEntriesAfterTheirPosition()
    {
        var events = new List<ProductEventRecord>();
        for (var i = 0; i < 600; i++)
        {
            // 300 users with 1 to 5 entries each, visitors, 7 products, and the same keys in a second app.
            events.Add(Numbered(i % 2 == 0 ? App : OtherApp, $"p-{i % 7}", userId: $"u-{i % 300}", userKey: null, i));
            events.Add(Numbered(App, $"p-{i % 7}", userId: null, userKey: $"v-{i % 150}", i));
        }

        var committed = new List<ProductEventRecord>();
        foreach (var chunk in events.Chunk(250))
        {
            committed.AddRange((await Log.AppendAsync(chunk)).Outcomes.Select(o => o.Committed!));
        }

        var users = Enumerable.Range(0, 300).Select(i => ContactRef.User($"u-{i}"));
        var visitors = Enumerable.Range(0, 150).Select(i => ContactRef.Visitor($"v-{i}"));
        var contactReads = users.Concat(visitors).Select(async contact =>
        {
            var own = committed.Where(e => e.AppId == App && e.Contact == contact).OrderBy(e => e.Seq).ToList();
            var after = own.Count > 1 ? own[0].Seq : 0;
            var read = await ToListAsync(Log.ReadContactAsync(App, contact, after));
            Assert.Equal(own.Where(e => e.Seq > after).Select(e => (e.Seq, e.ProductId)), read.Select(e => (e.Seq, e.ProductId)));
        });
        var productReads = Enumerable.Range(0, 7).Select(async i =>
        {
            var own = committed.Where(e => e.AppId == OtherApp && e.ProductId == $"p-{i}").OrderBy(e => e.Seq).ToList();
            var read = await ToListAsync(Log.ReadProductAsync(OtherApp, $"p-{i}", 0));
            Assert.Equal(own.Select(e => e.Seq), read.Select(e => e.Seq));
            Assert.All(read, e => Assert.Equal(AttributeValue.FromString($"{e.Timestamp.Subtract(T0).TotalSeconds}"), e.Attributes["n"]));
        });
        await Task.WhenAll(contactReads.Concat(productReads));
        Assert.Empty(await ToListAsync(Log.ReadContactAsync(App, ContactRef.User("nobody"), 0)));
    }

    [Fact]
    public async Task ConcurrentAliasReadsEachGetTheirOwnVisitorsInTheOrderTheyWereMerged()
    {
        for (var i = 0; i < 40; i++)
        {
            for (var k = 0; k < i % 3; k++)
            {
                await Log.AddAliasAsync(App, $"v-{i}-{k}", $"u-{i}");
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
            Assert.Equal(Enumerable.Range(0, i % 3).Select(k => $"v-{i}-{k}"), await Log.ReadAliasedKeysAsync(App, $"u-{i}"))));
        Assert.Empty(await Log.ReadAliasedKeysAsync(OtherApp, "u-1"));
    }

    [Fact]
    public async Task ACommitAnswersTheKeysTheLogHeldNothingForBeforeIt()
    {
        var first = await Log.AppendAsync([Numbered(App, "p1", "u1", null, 1), Numbered(App, "p2", null, "v1", 2)]);
        AssertKeys([Product(App, "p1"), Product(App, "p2")], first.NewKeys.Products);
        AssertKeys([User(App, "u1"), Visitor(App, "v1")], first.NewKeys.Contacts);
        await Log.AddAliasAsync(App, "v1", "u9");

        var second = await Log.AppendAsync([
            Numbered(App, "p1", "u2", null, 3), Numbered(App, "p3", "u1", null, 4), Numbered(App, "p4", null, "v2", 5),
            Numbered(App, "p2", null, "v1", 6), Numbered(OtherApp, "p1", "u1", null, 7), Numbered(App, "p3", "u9", null, 8),
            Numbered(App, "p3", "u2", null, 9), Numbered(App, "p5", "u7", "v7", 10),
        ]);
        AssertKeys([Product(App, "p3"), Product(App, "p4"), Product(App, "p5"), Product(OtherApp, "p1")], second.NewKeys.Products);

        // u9 has no entry of its own but a merged visitor's history, and u7 merges a visitor in this very commit: not new.
        AssertKeys([User(App, "u2"), Visitor(App, "v2"), User(OtherApp, "u1")], second.NewKeys.Contacts);

        // After a restart the log still tells a known key from a new one.
        var later = await OpenAgainAsync();
        var third = await later.AppendAsync([Numbered(App, "p1", "u1", null, 11), Numbered(App, "p4", null, "v2", 12), Numbered(App, "p6", "u2", null, 13)]);
        AssertKeys([Product(App, "p6")], third.NewKeys.Products);
        Assert.Empty(third.NewKeys.Contacts);
    }

    [Fact]
    public async Task ADuplicateAddsNoKeys()
    {
        await Log.AppendAsync([Numbered(App, "p1", "u1", null, 1) with { EventId = "order-1" }]);

        // A retry under the same event id that names other keys: a duplicate, so those keys still have no entries.
        var retry = await Log.AppendAsync([Numbered(App, "p2", "u2", null, 2) with { EventId = "order-1" }]);
        Assert.True(Assert.Single(retry.Outcomes).IsDuplicate);
        Assert.Empty(retry.NewKeys.Products);
        Assert.Empty(retry.NewKeys.Contacts);

        var next = await Log.AppendAsync([Numbered(App, "p2", "u2", null, 3)]);
        AssertKeys([Product(App, "p2")], next.NewKeys.Products);
        AssertKeys([User(App, "u2")], next.NewKeys.Contacts);
    }

    [Fact]
    public async Task TheLogIsReadyAndDescribesItself()
    {
        Assert.True(await Log.IsReadyAsync());
        Assert.False(string.IsNullOrWhiteSpace(Log.Describe()));
    }

    private static EventQuery Query(string appId = App) => new(appId, null, null, null, null, null, null, 100, null);

    private static long[] Seqs(AppendResult result) => [.. result.Outcomes.Select(o => o.Committed!.Seq)];

    private async Task<long[]> SeqsAsync(EventQuery query) => [.. (await Log.QueryAsync(query)).Results.Select(e => e.Seq)];

    private async Task<long[]> ReadProductSeqsAsync(string appId, string productId, long afterSeq) =>
        [.. (await ToListAsync(Log.ReadProductAsync(appId, productId, afterSeq))).Select(e => e.Seq)];

    private async Task<long[]> ReadContactSeqsAsync(string appId, ContactRef contact, long afterSeq) =>
        [.. (await ToListAsync(Log.ReadContactAsync(appId, contact, afterSeq))).Select(e => e.Seq)];

    private async Task<List<(string AppId, string ContactKey)>> RecentAsync(TimeSpan window, int maxEntries) =>
        [.. (await Log.ListRecentContactsAsync(window, maxEntries)).Select(c => (c.AppId, ContactKey: ContactKeys.Of(c.Contact)))
            .OrderBy(c => c.ContactKey, StringComparer.Ordinal).ThenBy(c => c.AppId, StringComparer.Ordinal)];

    /// <summary>An event n seconds after T0, with attribute "n".</summary>
    private static ProductEventRecord Numbered(string appId, string productId, string? userId, string? userKey, int n) =>
        Events.Record(appId: appId, productId: productId, userId: userId, userKey: userKey, timestamp: T0.AddSeconds(n), attributes: Events.Attributes(("n", $"{n}")));

    private static string Product(string appId, string id) => GrainKeys.Product(appId, id);

    private static string User(string appId, string id) => GrainKeys.Contact(appId, ContactRef.User(id));

    private static string Visitor(string appId, string id) => GrainKeys.Contact(appId, ContactRef.Visitor(id));

    private static void AssertKeys(IEnumerable<string> expected, IEnumerable<string> actual) =>
        Assert.Equal(expected.Order(StringComparer.Ordinal), actual.Order(StringComparer.Ordinal));

    /// <summary>Every field alike; attributes as a set, custom data as the same JSON (a store may reformat its text).</summary>
    private static void AssertSameEntry(ProductEventRecord expected, ProductEventRecord actual)
    {
        Assert.Equal(expected with { Attributes = NoAttributes, CustomDataJson = null }, actual with { Attributes = NoAttributes, CustomDataJson = null });
        Assert.Equal(expected.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal), actual.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal));
        Assert.Equal(expected.CustomDataJson is null, actual.CustomDataJson is null);
        if (expected.CustomDataJson is not null)
        {
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected.CustomDataJson), JsonNode.Parse(actual.CustomDataJson!)), actual.CustomDataJson);
        }
    }

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
