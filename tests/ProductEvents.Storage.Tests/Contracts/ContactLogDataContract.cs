using ProductEvents.Abstractions;
using ProductEvents.Grains.Tests.Support;
using ProductEvents.Storage.EventLog;

namespace ProductEvents.Storage.Tests.Contracts;

/// <summary>
/// What every log does when entries leave it: a contact's erasure removes its entries and its visitors' with their
/// idempotency claims and merges, and nobody else's; a retention batch removes one app's entries received before a
/// cutoff and queues the contacts they belonged to (and those their visitors were merged into) for a rebuild.
/// </summary>
public abstract class ContactLogDataContract : IAsyncLifetime
{
    private const string App = "app";
    private const string OtherApp = "other";
    private static readonly DateTimeOffset T0 = Events.T0;

    private (IEventLog Log, IContactLogData Data, IEventLogRetention Retention)? _log;

    protected IEventLog Log => Opened.Log;

    protected IContactLogData Data => Opened.Data;

    protected IEventLogRetention Retention => Opened.Retention;

    private (IEventLog Log, IContactLogData Data, IEventLogRetention Retention) Opened =>
        _log ?? throw new InvalidOperationException("The log has not been created.");

    /// <summary>A new, empty log, and its removal sides.</summary>
    protected abstract Task<(IEventLog Log, IContactLogData Data, IEventLogRetention Retention)> CreateAsync();

    public async Task InitializeAsync() => _log = await CreateAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ErasingAContactRemovesItsEntriesItsVisitorsEntriesTheirClaimsAndTheMerges()
    {
        await Log.AppendAsync([
            Events.Record(userId: null, userKey: "k1", productId: "a"),
            Events.Record(userId: "u1", userKey: "k1", productId: "b", eventId: "e1"),
            Events.Record(userId: "u1", productId: "c"),
            Events.Record(userId: "u2", productId: "a"),
            Events.Record(userId: "u1", productId: "a", appId: OtherApp),
        ]);
        Assert.Equal(["a", "b", "c"], (await Data.ListProductsOfAsync(App, "u1", ["k1"])).Order());
        Assert.Equal(2, (await Data.ReadContactPageAsync(App, ContactRef.User("u1"), 0, 10)).Count);

        var erased = await Data.EraseContactAsync(App, "u1", ["k1"]);

        Assert.Equal(3, erased);
        Assert.Empty((await Log.QueryAsync(Query(userId: "u1"))).Results);
        Assert.Empty((await Log.QueryAsync(Query(userKey: "k1"))).Results);
        Assert.Empty(await Data.ReadContactPageAsync(App, ContactRef.User("u1"), 0, 10));
        Assert.Empty(await Data.ReadContactPageAsync(App, ContactRef.Visitor("k1"), 0, 10));
        Assert.Empty(await Log.ReadAliasedKeysAsync(App, "u1"));
        Assert.Equal(["u2"], (await Log.QueryAsync(Query())).Results.Select(e => e.UserId));
        Assert.Single((await Log.QueryAsync(Query(userId: "u1") with { AppId = OtherApp })).Results);
        var again = await Log.AppendAsync([Events.Record(userId: "u1", productId: "b", eventId: "e1")]);
        Assert.False(again.Outcomes[0].IsDuplicate);
        Assert.Equal(0, await Data.EraseContactAsync(App, "nobody", []));
    }

    [Fact]
    public async Task ARetentionBatchRemovesTheAppsEntriesReceivedBeforeTheCutoffAndQueuesTheirContacts()
    {
        var old = T0.AddDays(-40);
        await Log.AddAliasAsync(App, "k2", "u3");
        await Log.AppendAsync([
            Events.Record(userId: "u1", productId: "a", receivedAt: old, eventId: "old-1"),
            Events.Record(userId: null, userKey: "k2", productId: "b", receivedAt: old),
            Events.Record(userId: "u1", productId: "a", receivedAt: old, appId: OtherApp),
        ]);
        await Log.AppendAsync([Events.Record(userId: "u1", productId: "c", receivedAt: T0)]);

        var batch = await Retention.NextBatchAsync(App, T0.AddDays(-30), 0, 10);
        Assert.Equal(2, batch.Entries.Count);
        Assert.Equal(["a", "b"], batch.ProductIds.Order());
        Assert.Equal(2, await Retention.RemoveAsync(batch));
        Assert.Empty((await Retention.NextBatchAsync(App, T0.AddDays(-30), 0, 10)).Entries);

        Assert.Equal(["c"], (await Log.QueryAsync(Query())).Results.Select(e => e.ProductId));
        Assert.Single((await Log.QueryAsync(Query() with { AppId = OtherApp })).Results);
        var pending = await Retention.PendingReloadsAsync(10);
        Assert.Equal(
            ["k/k2", "u/u1", "u/u3"],
            pending.Where(r => r.AppId == App).Select(r => (r.Contact.IsAnonymous ? "k/" : "u/") + r.Contact.Value).Order());
        await Retention.CompleteReloadsAsync(pending);
        Assert.Empty(await Retention.PendingReloadsAsync(10));
        Assert.False((await Log.AppendAsync([Events.Record(userId: "u1", eventId: "old-1")])).Outcomes[0].IsDuplicate);
    }

    private static EventQuery Query(string? userId = null, string? userKey = null) =>
        new(App, null, userId, userKey, null, null, null, 100, null);
}
