using ProductEvents.Abstractions;
using ProductEvents.Abstractions.Automations;
using ProductEvents.Storage.Automations;

namespace ProductEvents.Storage.Tests.Contracts;

/// <summary>
/// What every <see cref="IDeliveryOutbox"/> does: a delivery id is enqueued once, a claim leases due pending and failed
/// deliveries, attempts move a delivery on, a dead one can be retried, and listings page newest first within one app.
/// Claims span every app, so each test needs an outbox of its own.
/// </summary>
public abstract class DeliveryOutboxContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private IDeliveryOutbox? _outbox;

    protected IDeliveryOutbox Outbox => _outbox ?? throw new InvalidOperationException("The outbox has not been created.");

    /// <summary>A new, empty outbox.</summary>
    protected abstract Task<IDeliveryOutbox> CreateOutboxAsync();

    public async Task InitializeAsync() => _outbox = await CreateOutboxAsync();

    public virtual async Task DisposeAsync()
    {
        if (_outbox is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    [Fact]
    public async Task DeliveriesEnqueuedTogetherAreAddedOnceEach()
    {
        Assert.Equal(2, await Outbox.EnqueueAsync([Delivery("d1"), Delivery("d2"), Delivery("d1")]));
        Assert.Equal(1, await Outbox.EnqueueAsync([Delivery("d2"), Delivery("d3")]));
        Assert.Equal(0, await Outbox.EnqueueAsync([]));

        var due = await Outbox.ClaimDueAsync(T0, T0.AddMinutes(1), 10);
        Assert.Equal(["d1", "d2", "d3"], due.Select(d => d.Id).Order(StringComparer.Ordinal));
        await Task.WhenAll(due.Select(d => Outbox.RecordAttemptsAsync(
            [new DeliveryAttempt(d.Id, DeliveryStatus.Failed, 1, T0.AddSeconds(5), $"HTTP 500 for {d.Id}", T0)])));

        Assert.Empty(await Outbox.ClaimDueAsync(T0.AddSeconds(4), T0.AddMinutes(1), 10));
        var failed = await Outbox.ListAsync("app", DeliveryStatus.Failed, null, null, 10);
        Assert.Equal(["d1", "d2", "d3"], failed.Select(d => d.Id).Order(StringComparer.Ordinal));
        Assert.All(failed, d => Assert.Equal((1, $"HTTP 500 for {d.Id}"), (d.Attempts, d.LastError)));
        Assert.Equal(3, (await Outbox.ClaimDueAsync(T0.AddSeconds(5), T0.AddMinutes(1), 10)).Count);
    }

    [Fact]
    public async Task AClaimTakesAtMostPerAppOfEachAppOldestFirstAndNoneOfTheBusyOnes()
    {
        // The flooding app's deliveries are all older than the others'.
        await Outbox.EnqueueAsync([.. Enumerable.Range(0, 20).Select(i => Delivery($"flood-{i:00}", T0.AddSeconds(-100 + i)) with { AppId = "flooder" })]);
        await Outbox.EnqueueAsync([Delivery("calm-1", T0.AddSeconds(-1)) with { AppId = "calm" }, Delivery("calm-2", T0) with { AppId = "calm" }]);
        await Outbox.EnqueueAsync([Delivery("quiet-1", T0) with { AppId = "quiet" }]);

        var first = await Outbox.ClaimDueAsync(T0, T0.AddMinutes(1), 10, perApp: 3);
        Assert.Equal(["flood-00", "flood-01", "flood-02", "calm-1", "calm-2", "quiet-1"], first.Select(d => d.Id));

        // The flooder is busy: none of its deliveries is claimed, however old.
        await Outbox.EnqueueAsync([Delivery("calm-3", T0) with { AppId = "calm" }]);
        var second = await Outbox.ClaimDueAsync(T0, T0.AddMinutes(1), 10, perApp: 3, busyApps: ["flooder"]);
        Assert.Equal(["calm-3"], second.Select(d => d.Id));

        var third = await Outbox.ClaimDueAsync(T0, T0.AddMinutes(1), 2, perApp: 3);
        Assert.Equal(["flood-03", "flood-04"], third.Select(d => d.Id));
    }

    [Fact]
    public async Task AnEnqueuedDeliveryReadsBackAsItWasAndItsIdKeepsTheFirst()
    {
        var first = new Delivery("d1", "app", null, null, "campaign-1", "https://shop.example/hook", """{"a":1}""", "sha256=ab", DeliveryStatus.Pending, 0,
            T0.AddMinutes(5), null, T0, T0);
        await Outbox.EnqueueAsync([first]);

        Assert.Equal(0, await Outbox.EnqueueAsync([Delivery("d1") with { Url = "https://elsewhere.example/hook", Body = "{}" }]));

        Assert.Equal(first, await Outbox.GetAsync("app", "d1"));
        Assert.Equal([first], await Outbox.ListAsync("app", null, null, null, 10));
    }

    [Fact]
    public async Task ADeliveryBelongsToItsAppOnly()
    {
        await Outbox.EnqueueAsync([Delivery("d1") with { Status = DeliveryStatus.Dead, CampaignId = "c1" }]);

        Assert.Null(await Outbox.GetAsync("other-app", "d1"));
        Assert.Null(await Outbox.GetAsync("app", "unknown"));
        Assert.False(await Outbox.RetryAsync("other-app", "d1", T0));
        Assert.Empty(await Outbox.ListAsync("other-app", null, null, null, 10));
        Assert.Empty(await Outbox.CountCampaignAsync("other-app", "c1"));
        Assert.Equal(DeliveryStatus.Dead, (await Outbox.GetAsync("app", "d1"))?.Status);
    }

    [Fact]
    public async Task AClaimLeasesDueDeliveriesUntilTheLeaseEnds()
    {
        await Outbox.EnqueueAsync([Delivery("now", nextAttemptAt: T0), Delivery("soon", nextAttemptAt: T0.AddSeconds(10))]);

        var claimed = Assert.Single(await Outbox.ClaimDueAsync(T0, T0.AddMinutes(1), 10));

        // The claim answers the delivery as it now stands: held until the lease ends.
        Assert.Equal(Delivery("now", nextAttemptAt: T0.AddMinutes(1)), claimed);
        Assert.Equal(claimed, await Outbox.GetAsync("app", "now"));
        Assert.Empty(await Outbox.ClaimDueAsync(T0.AddMilliseconds(-1).AddSeconds(10), T0.AddMinutes(2), 10));
        Assert.Equal(["soon"], (await Outbox.ClaimDueAsync(T0.AddSeconds(30), T0.AddMinutes(2), 10)).Select(d => d.Id));

        // Its worker died before recording an attempt: the delivery is due again when the lease ends.
        Assert.Empty(await Outbox.ClaimDueAsync(T0.AddMinutes(1).AddMilliseconds(-1), T0.AddMinutes(3), 10));
        Assert.Equal(["now"], (await Outbox.ClaimDueAsync(T0.AddMinutes(1), T0.AddMinutes(3), 10)).Select(d => d.Id));
    }

    [Fact]
    public async Task AClaimTakesAtMostItsLimitEarliestFirst()
    {
        await Outbox.EnqueueAsync([
            Delivery("c", nextAttemptAt: T0.AddSeconds(-1)), Delivery("a", nextAttemptAt: T0.AddSeconds(-3)), Delivery("b", nextAttemptAt: T0.AddSeconds(-2)),
        ]);

        Assert.Equal(["a", "b"], (await Outbox.ClaimDueAsync(T0, T0.AddMinutes(1), 2)).Select(d => d.Id).Order(StringComparer.Ordinal));
        Assert.Equal(["c"], (await Outbox.ClaimDueAsync(T0, T0.AddMinutes(1), 2)).Select(d => d.Id));
    }

    [Fact]
    public async Task OnlyPendingAndFailedDeliveriesAreEverClaimed()
    {
        await Outbox.EnqueueAsync([
            Delivery("pending"), Delivery("failed") with { Status = DeliveryStatus.Failed, Attempts = 1 },
            Delivery("delivered") with { Status = DeliveryStatus.Delivered, Attempts = 1 }, Delivery("dead") with { Status = DeliveryStatus.Dead, Attempts = 5 },
        ]);

        var claimed = await Outbox.ClaimDueAsync(T0.AddDays(1), T0.AddDays(2), 10);

        Assert.Equal(["failed", "pending"], claimed.Select(d => d.Id).Order(StringComparer.Ordinal));
        Assert.Equal(["failed", "pending"], (await Outbox.ClaimDueAsync(T0.AddDays(3), T0.AddDays(4), 10)).Select(d => d.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AttemptsMoveADeliveryOn()
    {
        await Outbox.EnqueueAsync([Delivery("ok"), Delivery("retried"), Delivery("dead")]);
        var claimed = await Outbox.ClaimDueAsync(T0, T0.AddMinutes(1), 10);
        Assert.Equal(3, claimed.Count);

        await Outbox.RecordAttemptsAsync([
            new DeliveryAttempt("ok", DeliveryStatus.Delivered, 1, T0.AddSeconds(1), null, T0.AddSeconds(1)),
            new DeliveryAttempt("retried", DeliveryStatus.Failed, 1, T0.AddSeconds(30), "HTTP 503", T0.AddSeconds(1)),
            new DeliveryAttempt("dead", DeliveryStatus.Dead, 1, T0.AddSeconds(1), "HTTP 410", T0.AddSeconds(1)),
            new DeliveryAttempt("unknown", DeliveryStatus.Delivered, 1, T0.AddSeconds(1), null, T0.AddSeconds(1)),
        ]);

        Assert.Equal(
            Delivery("retried") with { Status = DeliveryStatus.Failed, Attempts = 1, NextAttemptAt = T0.AddSeconds(30), LastError = "HTTP 503", UpdatedAt = T0.AddSeconds(1) },
            await Outbox.GetAsync("app", "retried"));
        Assert.Equal((DeliveryStatus.Delivered, 1, T0.AddSeconds(1)), await StatusAsync("ok"));
        Assert.Equal((DeliveryStatus.Dead, 1, T0.AddSeconds(1)), await StatusAsync("dead"));
        Assert.Null(await Outbox.GetAsync("app", "unknown"));

        // Only the failed one is tried again, at its next attempt time, even though the claim's lease ended before.
        Assert.Empty(await Outbox.ClaimDueAsync(T0.AddSeconds(29), T0.AddMinutes(2), 10));
        Assert.Equal(["retried"], (await Outbox.ClaimDueAsync(T0.AddSeconds(30), T0.AddMinutes(2), 10)).Select(d => d.Id));
        Assert.Equal(["retried"], (await Outbox.ClaimDueAsync(T0.AddDays(1), T0.AddDays(2), 10)).Select(d => d.Id));
    }

    [Fact]
    public async Task ADeadDeliveryRetriedIsPendingAgainWithItsAttemptsReset()
    {
        await Outbox.EnqueueAsync([Delivery("dead"), Delivery("pending", nextAttemptAt: T0.AddDays(1))]);
        Assert.Single(await Outbox.ClaimDueAsync(T0, T0.AddMinutes(1), 10));
        await Outbox.RecordAttemptsAsync([new DeliveryAttempt("dead", DeliveryStatus.Dead, 5, T0.AddSeconds(1), "HTTP 500", T0.AddSeconds(1))]);

        Assert.True(await Outbox.RetryAsync("app", "dead", T0.AddHours(1)));

        var retried = await Outbox.GetAsync("app", "dead");
        Assert.Equal((DeliveryStatus.Pending, 0, T0.AddHours(1), T0.AddHours(1)), (retried?.Status, retried?.Attempts, retried?.NextAttemptAt, retried?.UpdatedAt));
        Assert.False(await Outbox.RetryAsync("app", "dead", T0.AddHours(2)));
        Assert.False(await Outbox.RetryAsync("app", "pending", T0.AddHours(2)));
        Assert.False(await Outbox.RetryAsync("app", "unknown", T0.AddHours(2)));
        Assert.Empty(await Outbox.ClaimDueAsync(T0.AddHours(1).AddMilliseconds(-1), T0.AddHours(2), 10));
        Assert.Equal(["dead"], (await Outbox.ClaimDueAsync(T0.AddHours(1), T0.AddHours(2), 10)).Select(d => d.Id));
    }

    [Fact]
    public async Task DeliveriesAreListedNewestFirstFilteredAndPagedBeforeADelivery()
    {
        await Outbox.EnqueueAsync([
            Delivery("d1", createdAt: T0.AddSeconds(1)), Delivery("d2", createdAt: T0.AddSeconds(2)) with { CampaignId = "c1" },
            Delivery("d3b", createdAt: T0.AddSeconds(3)), Delivery("d3a", createdAt: T0.AddSeconds(3)) with { CampaignId = "c1" },
            Delivery("d4", createdAt: T0.AddSeconds(4)) with { CampaignId = "c1", Status = DeliveryStatus.Dead },
            Delivery("x9", createdAt: T0.AddSeconds(9)) with { AppId = "other-app", CampaignId = "c1" },
        ]);

        Assert.Equal(["d4", "d3b", "d3a", "d2", "d1"], await IdsAsync(null, null, null, 10));
        Assert.Equal(["d4", "d3b"], await IdsAsync(null, null, null, 2));
        Assert.Equal(["d3a", "d2"], await IdsAsync(null, null, "d3b", 2));
        Assert.Equal(["d1"], await IdsAsync(null, null, "d2", 2));
        Assert.Empty(await IdsAsync(null, null, "d1", 2));
        Assert.Equal(["d4", "d3a", "d2"], await IdsAsync(null, "c1", null, 10));
        Assert.Equal(["d3a", "d2"], await IdsAsync(DeliveryStatus.Pending, "c1", null, 10));
        Assert.Equal(["d2", "d1"], await IdsAsync(DeliveryStatus.Pending, null, "d3a", 10));
        Assert.Equal(["d4"], await IdsAsync(DeliveryStatus.Dead, null, null, 10));
        Assert.Empty(await IdsAsync(DeliveryStatus.Delivered, null, null, 10));
    }

    [Fact]
    public async Task APageCursorHoldsWhenItsDeliveryNoLongerMatchesTheFilter()
    {
        await Outbox.EnqueueAsync([.. Enumerable.Range(1, 5).Select(i => Delivery($"d{i}", createdAt: T0.AddSeconds(i)))]);
        var first = await IdsAsync(DeliveryStatus.Pending, null, null, 2);
        Assert.Equal(["d5", "d4"], first);

        // Between two pages, the page's last delivery was sent.
        await Outbox.RecordAttemptsAsync([new DeliveryAttempt("d4", DeliveryStatus.Delivered, 1, T0, null, T0)]);

        Assert.Equal(["d3", "d2"], await IdsAsync(DeliveryStatus.Pending, null, "d4", 2));
    }

    [Fact]
    public async Task ACursorThatIsNoDeliveryOfTheAppListsNothing()
    {
        await Outbox.EnqueueAsync([Delivery("d1", createdAt: T0.AddSeconds(1)), Delivery("d2", createdAt: T0.AddSeconds(2))]);
        await Outbox.EnqueueAsync([Delivery("x1", createdAt: T0.AddSeconds(9)) with { AppId = "other-app" }]);

        Assert.Empty(await IdsAsync(null, null, "unknown", 10));
        Assert.Empty(await IdsAsync(null, null, "x1", 10));
    }

    [Fact]
    public async Task ACampaignsDeliveriesAreCountedByStatus()
    {
        await Outbox.EnqueueAsync([
            Delivery("a") with { CampaignId = "c1" }, Delivery("b") with { CampaignId = "c1" }, Delivery("c") with { CampaignId = "c1" },
            Delivery("d") with { CampaignId = "c1" }, Delivery("e") with { CampaignId = "c2" }, Delivery("f"),
            Delivery("x") with { AppId = "other-app", CampaignId = "c1" },
        ]);
        await Outbox.RecordAttemptsAsync([
            new DeliveryAttempt("a", DeliveryStatus.Delivered, 1, T0, null, T0), new DeliveryAttempt("b", DeliveryStatus.Dead, 3, T0, "HTTP 500", T0),
            new DeliveryAttempt("c", DeliveryStatus.Delivered, 2, T0, null, T0),
        ]);

        var counts = await Outbox.CountCampaignAsync("app", "c1");

        Assert.Equal(
            [(DeliveryStatus.Pending, 1L), (DeliveryStatus.Delivered, 2L), (DeliveryStatus.Dead, 1L)],
            counts.OrderBy(c => c.Key).Select(c => (c.Key, c.Value)));
        Assert.Equal(1, Assert.Single(await Outbox.CountCampaignAsync("app", "c2")).Value);
        Assert.Empty(await Outbox.CountCampaignAsync("app", "unknown"));
    }

    [Fact]
    public async Task ErasingContactsRemovesEveryWebhookNamingThemSentOrNot()
    {
        Delivery Naming(string id, string contactJson) => Delivery(id) with { Body = $$"""{"automation_id":"aut",{{contactJson}},"message":"hi"}""" };
        await Outbox.EnqueueAsync([
            Naming("u-pending", "\"user_id\":\"u1\",\"user_key\":null"),
            Naming("u-sent", "\"user_id\":\"u1\",\"user_key\":null"),
            Naming("visitor", "\"user_id\":null,\"user_key\":\"k1\""),
            Naming("other", "\"user_id\":\"u2\",\"user_key\":null"),
        ]);
        await Outbox.RecordAttemptsAsync([new DeliveryAttempt("u-sent", DeliveryStatus.Delivered, 1, T0, null, T0)]);

        Assert.Equal(["u-pending", "u-sent"], (await Outbox.ListOfContactAsync("app", ContactRef.User("u1"), 10)).Select(d => d.Id).Order());
        var (pending, all) = await Outbox.EraseContactsAsync("app", [ContactRef.User("u1"), ContactRef.Visitor("k1")]);

        Assert.Equal((2, 3), (pending, all));
        Assert.Equal(["other"], await IdsAsync(null, null, null, 10));
        Assert.Empty(await Outbox.ListOfContactAsync("app", ContactRef.User("u1"), 10));
    }

    protected static Delivery Delivery(string id, DateTimeOffset? nextAttemptAt = null, DateTimeOffset? createdAt = null) =>
        new(id, "app", "aut", "run_" + id, null, "http://127.0.0.1:9/hook", "{}", "sha256=00", DeliveryStatus.Pending, 0,
            nextAttemptAt ?? T0, null, createdAt ?? T0, createdAt ?? T0);

    private async Task<(DeliveryStatus?, int?, DateTimeOffset?)> StatusAsync(string id)
    {
        var delivery = await Outbox.GetAsync("app", id);
        return (delivery?.Status, delivery?.Attempts, delivery?.UpdatedAt);
    }

    private async Task<List<string>> IdsAsync(DeliveryStatus? status, string? campaignId, string? beforeId, int limit) =>
        [.. (await Outbox.ListAsync("app", status, campaignId, beforeId, limit)).Select(d => d.Id)];
}
