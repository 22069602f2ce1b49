using ProductEvents.Abstractions;
using ProductEvents.Abstractions.Segments;
using ProductEvents.Storage.Segments;

namespace ProductEvents.Storage.Tests.Contracts;

/// <summary>
/// What every <see cref="IWindowCheckStore"/> does as the durable timer of segment windows: one check per contact that a
/// new write replaces, a claim takes only due checks that nobody holds, in due order, a lease that ends lets them be
/// claimed again, and completing a claim removes only the checks their contacts did not move meanwhile. Claims span
/// every app, so each test needs a store of its own.
/// </summary>
public abstract class WindowCheckStoreContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private IWindowCheckStore? _store;

    protected IWindowCheckStore Checks => _store ?? throw new InvalidOperationException("The store has not been created.");

    /// <summary>A new, empty store.</summary>
    protected abstract Task<IWindowCheckStore> CreateStoreAsync();

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public virtual async Task DisposeAsync()
    {
        if (_store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    [Fact]
    public async Task ANewCheckReplacesTheContactsStoredOneEarlierOrLater()
    {
        await Checks.WriteAsync("app", User("earlier"), T0.AddHours(1));
        await Checks.WriteAsync("app", User("earlier"), T0.AddSeconds(-1));
        await Checks.WriteAsync("app", User("later"), T0.AddSeconds(-2));
        await Checks.WriteAsync("app", User("later"), T0.AddHours(2));

        Assert.Equal([new WindowCheck("app", User("earlier"), T0.AddSeconds(-1))], await Checks.ClaimDueAsync(T0, T0.AddDays(1), 10));
        Assert.Equal([new WindowCheck("app", User("later"), T0.AddHours(2))], await Checks.ClaimDueAsync(T0.AddHours(3), T0.AddHours(4), 10));
    }

    [Fact]
    public async Task ARemovedCheckIsNeverClaimed()
    {
        await Checks.WriteAsync("app", User("u1"), T0);
        await Checks.WriteAsync("app", Visitor("k1"), T0);
        await Checks.WriteAsync("app", User("u1"), null);
        await Checks.WriteAsync("app", User("never-written"), null);

        Assert.Equal([Visitor("k1")], (await Checks.ClaimDueAsync(T0.AddDays(1), T0.AddDays(2), 10)).Select(c => c.Contact));
    }

    [Fact]
    public async Task AClaimTakesDueChecksInDueOrderAndHoldsThemUntilTheLeaseEnds()
    {
        await Checks.WriteAsync("app", User("late"), T0.AddSeconds(10));
        await Checks.WriteAsync("app", User("second"), T0.AddSeconds(-1));
        await Checks.WriteAsync("other-app", User("first"), T0.AddSeconds(-2));

        var claimed = await Checks.ClaimDueAsync(T0, T0.AddMinutes(1), 10);
        Assert.Equal([("other-app", "first"), ("app", "second")], claimed.Select(c => (c.AppId, c.Contact.Value)));
        Assert.Empty(await Checks.ClaimDueAsync(T0.AddSeconds(5), T0.AddMinutes(2), 10));

        // The holder died: when its lease ends, the checks are due again, with the one that became due meanwhile.
        var again = await Checks.ClaimDueAsync(T0.AddMinutes(1), T0.AddMinutes(2), 2);
        Assert.Equal(["first", "second"], again.Select(c => c.Contact.Value));
        Assert.Equal(["late"], (await Checks.ClaimDueAsync(T0.AddMinutes(1), T0.AddMinutes(2), 10)).Select(c => c.Contact.Value));
    }

    [Fact]
    public async Task ACheckIsDueAtItsTimeAndFreeAgainTheMomentItsLeaseEnds()
    {
        await Checks.WriteAsync("app", User("u1"), T0);

        Assert.Empty(await Checks.ClaimDueAsync(T0.AddMilliseconds(-1), T0.AddMinutes(1), 10));
        Assert.Single(await Checks.ClaimDueAsync(T0, T0.AddMinutes(1), 10));
        Assert.Empty(await Checks.ClaimDueAsync(T0.AddMinutes(1).AddMilliseconds(-1), T0.AddMinutes(2), 10));
        Assert.Equal([new WindowCheck("app", User("u1"), T0)], await Checks.ClaimDueAsync(T0.AddMinutes(1), T0.AddMinutes(2), 10));
    }

    [Fact]
    public async Task AClaimTakesAtMostItsLimitEarliestFirst()
    {
        await Checks.WriteAsync("app", User("c"), T0.AddSeconds(-1));
        await Checks.WriteAsync("app", User("a"), T0.AddSeconds(-3));
        await Checks.WriteAsync("app", User("b"), T0.AddSeconds(-2));

        Assert.Equal(["a", "b"], (await Checks.ClaimDueAsync(T0, T0.AddMinutes(1), 2)).Select(c => c.Contact.Value));
        Assert.Equal(["c"], (await Checks.ClaimDueAsync(T0, T0.AddMinutes(1), 2)).Select(c => c.Contact.Value));
        Assert.Empty(await Checks.ClaimDueAsync(T0, T0.AddMinutes(1), 2));
    }

    [Fact]
    public async Task CompletingAClaimRemovesItsChecksButNotOnesTheirContactsWroteMeanwhile()
    {
        await Checks.WriteAsync("app", User("done"), T0.AddSeconds(-2));
        await Checks.WriteAsync("app", User("moved"), T0.AddSeconds(-1));
        var claimed = await Checks.ClaimDueAsync(T0, T0.AddMinutes(1), 10);
        Assert.Equal(2, claimed.Count);

        // Re-evaluated by the scheduler, "moved" wrote its next check before the claim was completed.
        await Checks.WriteAsync("app", User("moved"), T0.AddSeconds(20));
        await Checks.CompleteAsync(claimed);
        await Checks.CompleteAsync(claimed);

        // Its new check is due within the old claim's lease, and is claimed then all the same.
        Assert.Empty(await Checks.ClaimDueAsync(T0.AddSeconds(19), T0.AddMinutes(2), 10));
        var moved = await Checks.ClaimDueAsync(T0.AddSeconds(20), T0.AddMinutes(2), 10);
        Assert.Equal([new WindowCheck("app", User("moved"), T0.AddSeconds(20))], moved);

        await Checks.CompleteAsync(moved);
        Assert.Empty(await Checks.ClaimDueAsync(T0.AddDays(1), T0.AddDays(2), 10));
    }

    [Fact]
    public async Task CompletingChecksThatAreNotStoredChangesNothing()
    {
        await Checks.WriteAsync("app", User("kept"), T0);
        await Checks.WriteAsync("app", User("removed"), T0);
        var claimed = await Checks.ClaimDueAsync(T0, T0.AddMinutes(1), 10);
        await Checks.WriteAsync("app", User("removed"), null);

        await Checks.CompleteAsync([]);
        await Checks.CompleteAsync([new WindowCheck("app", User("nobody"), T0), new WindowCheck("app", User("kept"), T0.AddSeconds(1))]);
        await Checks.CompleteAsync(claimed.Where(c => c.Contact.Value == "removed").ToList());

        Assert.Equal([new WindowCheck("app", User("kept"), T0)], await Checks.ClaimDueAsync(T0.AddMinutes(1), T0.AddMinutes(2), 10));
    }

    [Fact]
    public async Task EachAppAndEachKindOfContactHasItsOwnCheck()
    {
        await Checks.WriteAsync("app", User("x"), T0.AddSeconds(1));
        await Checks.WriteAsync("app", Visitor("x"), T0.AddSeconds(2));
        await Checks.WriteAsync("other-app", User("x"), T0.AddSeconds(3));

        await Checks.WriteAsync("app", User("x"), T0.AddSeconds(4));
        await Checks.WriteAsync("other-app", Visitor("x"), null);

        Assert.Equal(
            [new WindowCheck("app", Visitor("x"), T0.AddSeconds(2)), new WindowCheck("other-app", User("x"), T0.AddSeconds(3)), new WindowCheck("app", User("x"), T0.AddSeconds(4))],
            await Checks.ClaimDueAsync(T0.AddMinutes(1), T0.AddMinutes(2), 10));
    }

    [Fact]
    public async Task ManyContactsWritingAtOnceAreAllStoredWithTheirLastCheck()
    {
        const int contacts = 12_000;

        // More than one statement's worth, from many callers at once; each contact writes twice, the second replaces.
        await Task.WhenAll(Enumerable.Range(0, contacts).Select(i => Task.Run(() => Task.WhenAll(
            Checks.WriteAsync("app", User($"user-{i}"), T0.AddHours(1)),
            Checks.WriteAsync("app", User($"user-{i}"), T0.AddMilliseconds(i))))));

        var claimed = await Checks.ClaimDueAsync(T0.AddMinutes(1), T0.AddMinutes(2), 20_000);
        Assert.Equal(contacts, claimed.Count);
        Assert.Equal(
            Enumerable.Range(0, contacts).Select(i => ($"user-{i}", T0.AddMilliseconds(i))),
            claimed.Select(c => (c.Contact.Value, c.DueAt)));
    }

    protected static ContactRef User(string id) => ContactRef.User(id);

    protected static ContactRef Visitor(string key) => ContactRef.Visitor(key);
}
