using ProductEvents.Abstractions;
using ProductEvents.Abstractions.Automations;
using ProductEvents.Storage.Automations;

namespace ProductEvents.Storage.Tests.Contracts;

/// <summary>
/// What every <see cref="IAutomationRunStore"/> does as the durable timer of automation waits: a run starts once, a
/// claim takes only due waiting runs that nobody holds, in due order, a lease that ends lets the run be claimed again,
/// and a run ends once. Claims span every app, so each test needs a store of its own.
/// </summary>
public abstract class AutomationRunStoreContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private IAutomationRunStore? _store;

    protected IAutomationRunStore Runs => _store ?? throw new InvalidOperationException("The store has not been created.");

    /// <summary>A new, empty store.</summary>
    protected abstract Task<IAutomationRunStore> CreateStoreAsync();

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public virtual async Task DisposeAsync()
    {
        if (_store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    [Fact]
    public async Task ARunStartedTwiceKeepsItsFirstDueTime()
    {
        await Runs.StartAsync([Run("r1", T0)]);
        await Runs.StartAsync([Run("r1", T0.AddHours(1)), Run("r1", T0.AddHours(2))]);

        var run = Assert.Single(await Runs.ListAsync("app", "aut", null, 10));
        Assert.Equal(T0, run.DueAt);
        Assert.Equal(RunStatus.Waiting, run.Status);
    }

    [Fact]
    public async Task AClaimedRunComesBackAsItWasStarted()
    {
        var run = new RunRecord("app", "aut", "r1", ContactRef.Visitor("k1"), RunStatus.Waiting, T0,
            new TriggerEvent("seg-change-1", "segment", null, T0.AddHours(-2), null, "seg-1"), T0.AddHours(-2), null);
        var other = Run("r2", T0) with { Trigger = new TriggerEvent("e-2", "event", "p-9", T0.AddHours(-1), ProductEventType.Purchase) };
        await Runs.StartAsync([run, other]);

        var claimed = await Runs.ClaimDueAsync(T0, T0.AddMinutes(1), 10);

        Assert.Equal([run, other], claimed.OrderBy(r => r.RunId, StringComparer.Ordinal));
        Assert.Equal([run, other], (await Runs.ListAsync("app", "aut", null, 10)).OrderBy(r => r.RunId, StringComparer.Ordinal));
    }

    [Fact]
    public async Task AClaimTakesDueRunsInDueOrderAndHoldsThemUntilTheLeaseEnds()
    {
        await Runs.StartAsync([Run("late", T0.AddSeconds(10)), Run("second", T0.AddSeconds(-1)), Run("first", T0.AddSeconds(-2))]);

        var claimed = await Runs.ClaimDueAsync(T0, T0.AddMinutes(1), 10);
        Assert.Equal(["first", "second"], claimed.Select(r => r.RunId));
        Assert.Empty(await Runs.ClaimDueAsync(T0.AddSeconds(5), T0.AddMinutes(2), 10));

        // The holder died: when its lease ends, the runs are due again, with the one that became due meanwhile.
        var again = await Runs.ClaimDueAsync(T0.AddMinutes(1), T0.AddMinutes(2), 2);
        Assert.Equal(["first", "second"], again.Select(r => r.RunId));
        Assert.Equal(["late"], (await Runs.ClaimDueAsync(T0.AddMinutes(1), T0.AddMinutes(2), 10)).Select(r => r.RunId));
    }

    [Fact]
    public async Task ARunIsDueAtItsTimeAndFreeAgainTheMomentItsLeaseEnds()
    {
        await Runs.StartAsync([Run("r1", T0)]);

        Assert.Empty(await Runs.ClaimDueAsync(T0.AddMilliseconds(-1), T0.AddMinutes(1), 10));
        Assert.Single(await Runs.ClaimDueAsync(T0, T0.AddMinutes(1), 10));
        Assert.Empty(await Runs.ClaimDueAsync(T0.AddMinutes(1).AddMilliseconds(-1), T0.AddMinutes(2), 10));
        Assert.Equal(["r1"], (await Runs.ClaimDueAsync(T0.AddMinutes(1), T0.AddMinutes(2), 10)).Select(r => r.RunId));
    }

    [Fact]
    public async Task RunsOfEveryAppAreClaimedTogetherAtMostTheLimitAtOnce()
    {
        await Runs.StartAsync([Run("c", T0.AddSeconds(-1)), Run("a", T0.AddSeconds(-3)) with { AppId = "other-app" }, Run("b", T0.AddSeconds(-2)) with { AutomationId = "aut-2" }]);

        Assert.Equal([("other-app", "a"), ("app", "b")], (await Runs.ClaimDueAsync(T0, T0.AddMinutes(1), 2)).Select(r => (r.AppId, r.RunId)));
        Assert.Equal(["c"], (await Runs.ClaimDueAsync(T0, T0.AddMinutes(1), 2)).Select(r => r.RunId));
        Assert.Empty(await Runs.ClaimDueAsync(T0, T0.AddMinutes(1), 2));
    }

    [Fact]
    public async Task ARunEndsOnceAndIsNeverClaimedAfterIt()
    {
        await Runs.StartAsync([Run("r1", T0)]);
        var claimed = Assert.Single(await Runs.ClaimDueAsync(T0, T0.AddMinutes(1), 10));

        await Runs.CompleteAsync([claimed with { Status = RunStatus.Fired, UpdatedAt = T0.AddSeconds(1) }]);
        await Runs.CompleteAsync([claimed with { Status = RunStatus.Cancelled, Reason = "late", UpdatedAt = T0.AddSeconds(2) }]);

        Assert.Empty(await Runs.ClaimDueAsync(T0.AddHours(1), T0.AddHours(2), 10));
        var run = Assert.Single(await Runs.ListAsync("app", "aut", RunStatus.Fired, 10));
        Assert.Null(run.Reason);
        Assert.Equal(T0.AddSeconds(1), run.UpdatedAt);
        Assert.Empty(await Runs.ListAsync("app", "aut", RunStatus.Cancelled, 10));
    }

    [Fact]
    public async Task AnEndingRecordsItsStatusReasonAndTimeAndKeepsTheRest()
    {
        var started = Run("r1", T0);
        await Runs.StartAsync([started, Run("r2", T0)]);
        var claimed = await Runs.ClaimDueAsync(T0, T0.AddMinutes(1), 10);

        await Runs.CompleteAsync([
            started with { Status = RunStatus.Cancelled, Reason = "unless held at fire time", UpdatedAt = T0.AddSeconds(3), DueAt = T0.AddDays(9) },
            new RunRecord("app", "aut", "never-started", ContactRef.User("u1"), RunStatus.Fired, T0, started.Trigger, T0, null),
        ]);

        Assert.Equal(
            started with { Status = RunStatus.Cancelled, Reason = "unless held at fire time", UpdatedAt = T0.AddSeconds(3) },
            Assert.Single(await Runs.ListAsync("app", "aut", RunStatus.Cancelled, 10)));
        Assert.Equal(["r2"], (await Runs.ListAsync("app", "aut", RunStatus.Waiting, 10)).Select(r => r.RunId));
        Assert.Empty(await Runs.ListAsync("app", "aut", RunStatus.Fired, 10));
        Assert.Equal(2, claimed.Count);
    }

    [Fact]
    public async Task AnAutomationsRunsAreListedLatestDueFirstOptionallyOfOneStatus()
    {
        await Runs.StartAsync([
            Run("r1", T0.AddHours(1)), Run("r2", T0.AddHours(3)), Run("r3", T0.AddHours(2)), Run("r4", T0.AddMinutes(-1)),
            Run("r5", T0.AddHours(9)) with { AutomationId = "aut-2" }, Run("r6", T0.AddHours(9)) with { AppId = "other-app" },
        ]);
        var due = Assert.Single(await Runs.ClaimDueAsync(T0, T0.AddMinutes(1), 10));
        await Runs.CompleteAsync([due with { Status = RunStatus.Fired, UpdatedAt = T0 }]);

        Assert.Equal(["r2", "r3", "r1", "r4"], (await Runs.ListAsync("app", "aut", null, 10)).Select(r => r.RunId));
        Assert.Equal(["r2", "r3"], (await Runs.ListAsync("app", "aut", null, 2)).Select(r => r.RunId));
        Assert.Equal(["r2", "r3", "r1"], (await Runs.ListAsync("app", "aut", RunStatus.Waiting, 10)).Select(r => r.RunId));
        Assert.Equal(["r4"], (await Runs.ListAsync("app", "aut", RunStatus.Fired, 10)).Select(r => r.RunId));
        Assert.Empty(await Runs.ListAsync("app", "aut", RunStatus.Capped, 10));
        Assert.Empty(await Runs.ListAsync("app", "unknown", null, 10));
    }

    [Fact]
    public async Task TheSameRunIdInAnotherAutomationOrAppIsAnotherRun()
    {
        await Runs.StartAsync([Run("r1", T0), Run("r1", T0.AddSeconds(1)) with { AutomationId = "aut-2" }, Run("r1", T0.AddSeconds(2)) with { AppId = "other-app" }]);

        var claimed = await Runs.ClaimDueAsync(T0.AddMinutes(1), T0.AddMinutes(2), 10);
        await Runs.CompleteAsync([claimed[0] with { Status = RunStatus.Fired, UpdatedAt = T0.AddMinutes(1) }]);

        Assert.Equal([("app", "aut"), ("app", "aut-2"), ("other-app", "aut")], claimed.Select(r => (r.AppId, r.AutomationId)));
        Assert.Equal(RunStatus.Fired, Assert.Single(await Runs.ListAsync("app", "aut", null, 10)).Status);
        Assert.Equal(RunStatus.Waiting, Assert.Single(await Runs.ListAsync("app", "aut-2", null, 10)).Status);
        Assert.Equal(RunStatus.Waiting, Assert.Single(await Runs.ListAsync("other-app", "aut", null, 10)).Status);
    }

    [Fact]
    public async Task ManyContactsStartingAtOnceAreAllRecorded()
    {
        var runs = Enumerable.Range(0, 12_000).Select(i => Run($"r{i:D5}", T0.AddMilliseconds(i), $"user-{i}")).ToList();

        // More than one write's worth, from many callers at once, some of them with several runs.
        await Task.WhenAll(runs.Chunk(3).Select(chunk => Task.Run(() => Runs.StartAsync(chunk))));

        Assert.Equal(12_000, (await Runs.ClaimDueAsync(T0.AddHours(1), T0.AddHours(2), 20_000)).Count);
        var newest = Assert.Single(await Runs.ListAsync("app", "aut", null, 1));
        Assert.Equal(("r11999", "user-11999"), (newest.RunId, newest.Contact.Value));
    }

    [Fact]
    public async Task ErasingContactsDeletesTheirRunsSoAWaitingOneNeverFires()
    {
        await Runs.StartAsync([Run("r1", T0), Run("r2", T0.AddMinutes(1)), Run("r3", T0, user: "u2")]);
        await Runs.CompleteAsync([Run("r2", T0.AddMinutes(1)) with { Status = RunStatus.Fired, UpdatedAt = T0 }]);

        Assert.Equal(2, (await Runs.ListOfContactAsync("app", ContactRef.User("u1"), 10)).Count);
        var (waiting, all) = await Runs.EraseContactsAsync("app", [ContactRef.User("u1")]);

        Assert.Equal((1, 2), (waiting, all));
        Assert.Empty(await Runs.ListOfContactAsync("app", ContactRef.User("u1"), 10));
        Assert.Equal(["r3"], (await Runs.ClaimDueAsync(T0.AddHours(1), T0.AddHours(2), 10)).Select(r => r.RunId));
    }

    protected static RunRecord Run(string runId, DateTimeOffset dueAt, string user = "u1") =>
        new("app", "aut", runId, ContactRef.User(user), RunStatus.Waiting, dueAt,
            new TriggerEvent($"trigger-{runId}", "event", "p1", dueAt.AddHours(-3), ProductEventType.AddToCart), dueAt.AddHours(-3), null);
}
