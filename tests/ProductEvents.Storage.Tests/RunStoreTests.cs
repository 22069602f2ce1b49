using Npgsql;
using ProductEvents.Abstractions;
using ProductEvents.Abstractions.Automations;
using ProductEvents.Api.Automations;
using ProductEvents.Storage.Automations;
using ProductEvents.Testing;

namespace ProductEvents.Storage.Tests;

/// <summary>
/// The runs table as the durable timer of automation waits, in both stores: a run starts once, a claim takes only due
/// runs that nobody holds, in due order, a lease that ends lets the run be claimed again, and a run ends once.
/// </summary>
[Collection(PostgresFixture.Collection)]
public sealed class RunStoreTests(PostgresFixture postgres)
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Kinds => ["memory", "postgres"];

    [Theory, MemberData(nameof(Kinds))]
    public async Task ARunStartedTwiceKeepsItsFirstDueTime(string kind)
    {
        await using var store = await CreateAsync(kind);
        await store.Runs.StartAsync([Run("r1", T0)]);
        await store.Runs.StartAsync([Run("r1", T0.AddHours(1)), Run("r1", T0.AddHours(2))]);

        var run = Assert.Single(await store.Runs.ListAsync("app", "aut", null, 10));
        Assert.Equal(T0, run.DueAt);
        Assert.Equal(RunStatus.Waiting, run.Status);
    }

    [Theory, MemberData(nameof(Kinds))]
    public async Task AClaimTakesDueRunsInDueOrderAndHoldsThemUntilTheLeaseEnds(string kind)
    {
        await using var store = await CreateAsync(kind);
        await store.Runs.StartAsync([Run("late", T0.AddSeconds(10)), Run("second", T0.AddSeconds(-1)), Run("first", T0.AddSeconds(-2))]);

        var claimed = await store.Runs.ClaimDueAsync(T0, T0.AddMinutes(1), 10);
        Assert.Equal(["first", "second"], claimed.Select(r => r.RunId));
        Assert.Empty(await store.Runs.ClaimDueAsync(T0.AddSeconds(5), T0.AddMinutes(2), 10));

        // The holder died: when its lease ends, the runs are due again, with the one that became due meanwhile.
        var again = await store.Runs.ClaimDueAsync(T0.AddMinutes(1), T0.AddMinutes(2), 2);
        Assert.Equal(["first", "second"], again.Select(r => r.RunId));
        Assert.Equal(["late"], (await store.Runs.ClaimDueAsync(T0.AddMinutes(1), T0.AddMinutes(2), 10)).Select(r => r.RunId));
    }

    [Theory, MemberData(nameof(Kinds))]
    public async Task ARunEndsOnceAndIsNeverClaimedAfterIt(string kind)
    {
        await using var store = await CreateAsync(kind);
        await store.Runs.StartAsync([Run("r1", T0)]);
        var claimed = Assert.Single(await store.Runs.ClaimDueAsync(T0, T0.AddMinutes(1), 10));

        await store.Runs.CompleteAsync([claimed with { Status = RunStatus.Fired, UpdatedAt = T0.AddSeconds(1) }]);
        await store.Runs.CompleteAsync([claimed with { Status = RunStatus.Cancelled, Reason = "late", UpdatedAt = T0.AddSeconds(2) }]);

        Assert.Empty(await store.Runs.ClaimDueAsync(T0.AddHours(1), T0.AddHours(2), 10));
        var run = Assert.Single(await store.Runs.ListAsync("app", "aut", RunStatus.Fired, 10));
        Assert.Null(run.Reason);
        Assert.Equal(T0.AddSeconds(1), run.UpdatedAt);
        Assert.Empty(await store.Runs.ListAsync("app", "aut", RunStatus.Cancelled, 10));
    }

    [Theory, MemberData(nameof(Kinds))]
    public async Task ManyContactsStartingAtOnceAreAllRecorded(string kind)
    {
        await using var store = await CreateAsync(kind);
        var runs = Enumerable.Range(0, 12_000).Select(i => Run($"r{i:D5}", T0.AddMilliseconds(i), $"user-{i}")).ToList();

        // More than one write's worth, from many callers at once, some of them with several runs.
        await Task.WhenAll(runs.Chunk(3).Select(chunk => Task.Run(() => store.Runs.StartAsync(chunk))));

        Assert.Equal(12_000, (await store.Runs.ClaimDueAsync(T0.AddHours(1), T0.AddHours(2), 20_000)).Count);
        var newest = Assert.Single(await store.Runs.ListAsync("app", "aut", null, 1));
        Assert.Equal(("r11999", "user-11999"), (newest.RunId, newest.Contact.Value));
    }

    [Theory, MemberData(nameof(Kinds))]
    public async Task DeliveriesEnqueuedTogetherAreAddedOnceEach(string kind)
    {
        await using var store = await CreateAsync(kind);
        Assert.Equal(2, await store.Outbox.EnqueueAsync([Delivery("d1"), Delivery("d2"), Delivery("d1")]));
        Assert.Equal(1, await store.Outbox.EnqueueAsync([Delivery("d2"), Delivery("d3")]));

        var due = await store.Outbox.ClaimDueAsync(T0, T0.AddMinutes(1), 10);
        Assert.Equal(["d1", "d2", "d3"], due.Select(d => d.Id).Order(StringComparer.Ordinal));
        await Task.WhenAll(due.Select(d => store.Outbox.RecordAttemptsAsync(
            [new DeliveryAttempt(d.Id, DeliveryStatus.Failed, 1, T0.AddSeconds(5), $"HTTP 500 for {d.Id}", T0)])));

        Assert.Empty(await store.Outbox.ClaimDueAsync(T0.AddSeconds(4), T0.AddMinutes(1), 10));
        var failed = await store.Outbox.ListAsync("app", DeliveryStatus.Failed, null, null, 10);
        Assert.Equal(["d1", "d2", "d3"], failed.Select(d => d.Id).Order(StringComparer.Ordinal));
        Assert.All(failed, d => Assert.Equal((1, $"HTTP 500 for {d.Id}"), (d.Attempts, d.LastError)));
        Assert.Equal(3, (await store.Outbox.ClaimDueAsync(T0.AddSeconds(5), T0.AddMinutes(1), 10)).Count);
    }

    private static RunRecord Run(string runId, DateTimeOffset dueAt, string user = "u1") =>
        new("app", "aut", runId, ContactRef.User(user), RunStatus.Waiting, dueAt,
            new TriggerEvent(Guid.NewGuid().ToString(), "event", "p1", dueAt.AddHours(-3), ProductEventType.AddToCart), dueAt.AddHours(-3), null);

    private static Delivery Delivery(string id) =>
        new(id, "app", "aut", "run_" + id, null, "http://127.0.0.1:9/hook", "{}", "sha256=00", DeliveryStatus.Pending, 0, T0, null, T0, T0);

    private async Task<Stores> CreateAsync(string kind)
    {
        if (kind == "memory")
        {
            return new Stores(new InMemoryAutomationRunStore(), new InMemoryDeliveryOutbox(new DeliverySignal()), null);
        }

        var db = NpgsqlDataSource.Create(await postgres.CreateMigratedDatabaseAsync("runs"));
        return new Stores(new PostgresAutomationRunStore(db), new PostgresDeliveryOutbox(db, new DeliverySignal()), db);
    }

    private sealed record Stores(IAutomationRunStore Runs, IDeliveryOutbox Outbox, NpgsqlDataSource? DataSource) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var store in new object[] { Runs, Outbox })
            {
                if (store is IAsyncDisposable disposable)
                {
                    await disposable.DisposeAsync();
                }
            }

            if (DataSource is not null)
            {
                await DataSource.DisposeAsync();
            }
        }
    }
}
