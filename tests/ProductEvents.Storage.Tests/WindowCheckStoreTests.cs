using Npgsql;
using ProductEvents.Abstractions;
using ProductEvents.Abstractions.Segments;
using ProductEvents.Storage.Segments;
using ProductEvents.Testing;

namespace ProductEvents.Storage.Tests;

/// <summary>
/// Window checks as the durable timer of segment windows, in both stores: one check per contact that a new write
/// replaces, a claim takes only due checks that nobody holds, in due order, a lease that ends lets them be claimed
/// again, and completing a claim removes only the checks their contacts did not move meanwhile.
/// </summary>
[Collection(PostgresFixture.Collection)]
public sealed class WindowCheckStoreTests(PostgresFixture postgres)
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Kinds => ["memory", "postgres"];

    [Theory, MemberData(nameof(Kinds))]
    public async Task ANewCheckReplacesTheContactsStoredOneEarlierOrLater(string kind)
    {
        await using var store = await CreateAsync(kind);
        await store.Checks.WriteAsync("app", User("earlier"), T0.AddHours(1));
        await store.Checks.WriteAsync("app", User("earlier"), T0.AddSeconds(-1));
        await store.Checks.WriteAsync("app", User("later"), T0.AddSeconds(-2));
        await store.Checks.WriteAsync("app", User("later"), T0.AddHours(2));

        Assert.Equal([new WindowCheck("app", User("earlier"), T0.AddSeconds(-1))], await store.Checks.ClaimDueAsync(T0, T0.AddDays(1), 10));
        Assert.Equal([new WindowCheck("app", User("later"), T0.AddHours(2))], await store.Checks.ClaimDueAsync(T0.AddHours(3), T0.AddHours(4), 10));
    }

    [Theory, MemberData(nameof(Kinds))]
    public async Task ARemovedCheckIsNeverClaimed(string kind)
    {
        await using var store = await CreateAsync(kind);
        await store.Checks.WriteAsync("app", User("u1"), T0);
        await store.Checks.WriteAsync("app", Visitor("k1"), T0);
        await store.Checks.WriteAsync("app", User("u1"), null);
        await store.Checks.WriteAsync("app", User("never-written"), null);

        Assert.Equal([Visitor("k1")], (await store.Checks.ClaimDueAsync(T0.AddDays(1), T0.AddDays(2), 10)).Select(c => c.Contact));
    }

    [Theory, MemberData(nameof(Kinds))]
    public async Task AClaimTakesDueChecksInDueOrderAndHoldsThemUntilTheLeaseEnds(string kind)
    {
        await using var store = await CreateAsync(kind);
        await store.Checks.WriteAsync("app", User("late"), T0.AddSeconds(10));
        await store.Checks.WriteAsync("app", User("second"), T0.AddSeconds(-1));
        await store.Checks.WriteAsync("other-app", User("first"), T0.AddSeconds(-2));

        var claimed = await store.Checks.ClaimDueAsync(T0, T0.AddMinutes(1), 10);
        Assert.Equal([("other-app", "first"), ("app", "second")], claimed.Select(c => (c.AppId, c.Contact.Value)));
        Assert.Empty(await store.Checks.ClaimDueAsync(T0.AddSeconds(5), T0.AddMinutes(2), 10));

        // The holder died: when its lease ends, the checks are due again, with the one that became due meanwhile.
        var again = await store.Checks.ClaimDueAsync(T0.AddMinutes(1), T0.AddMinutes(2), 2);
        Assert.Equal(["first", "second"], again.Select(c => c.Contact.Value));
        Assert.Equal(["late"], (await store.Checks.ClaimDueAsync(T0.AddMinutes(1), T0.AddMinutes(2), 10)).Select(c => c.Contact.Value));
    }

    [Theory, MemberData(nameof(Kinds))]
    public async Task CompletingAClaimRemovesItsChecksButNotOnesTheirContactsWroteMeanwhile(string kind)
    {
        await using var store = await CreateAsync(kind);
        await store.Checks.WriteAsync("app", User("done"), T0.AddSeconds(-2));
        await store.Checks.WriteAsync("app", User("moved"), T0.AddSeconds(-1));
        var claimed = await store.Checks.ClaimDueAsync(T0, T0.AddMinutes(1), 10);
        Assert.Equal(2, claimed.Count);

        // Re-evaluated by the scheduler, "moved" wrote its next check before the claim was completed.
        await store.Checks.WriteAsync("app", User("moved"), T0.AddSeconds(20));
        await store.Checks.CompleteAsync(claimed);
        await store.Checks.CompleteAsync(claimed);

        // Its new check is due within the old claim's lease, and is claimed then all the same.
        Assert.Empty(await store.Checks.ClaimDueAsync(T0.AddSeconds(19), T0.AddMinutes(2), 10));
        var moved = await store.Checks.ClaimDueAsync(T0.AddSeconds(20), T0.AddMinutes(2), 10);
        Assert.Equal([new WindowCheck("app", User("moved"), T0.AddSeconds(20))], moved);

        await store.Checks.CompleteAsync(moved);
        Assert.Empty(await store.Checks.ClaimDueAsync(T0.AddDays(1), T0.AddDays(2), 10));
    }

    [Theory, MemberData(nameof(Kinds))]
    public async Task ManyContactsWritingAtOnceAreAllStoredWithTheirLastCheck(string kind)
    {
        await using var store = await CreateAsync(kind);
        const int contacts = 12_000;

        // More than one statement's worth, from many callers at once; each contact writes twice, the second replaces.
        await Task.WhenAll(Enumerable.Range(0, contacts).Select(i => Task.Run(() => Task.WhenAll(
            store.Checks.WriteAsync("app", User($"user-{i}"), T0.AddHours(1)),
            store.Checks.WriteAsync("app", User($"user-{i}"), T0.AddMilliseconds(i))))));

        var claimed = await store.Checks.ClaimDueAsync(T0.AddMinutes(1), T0.AddMinutes(2), 20_000);
        Assert.Equal(contacts, claimed.Count);
        Assert.Equal(
            Enumerable.Range(0, contacts).Select(i => ($"user-{i}", T0.AddMilliseconds(i))),
            claimed.Select(c => (c.Contact.Value, c.DueAt)));
    }

    private static ContactRef User(string id) => ContactRef.User(id);

    private static ContactRef Visitor(string key) => ContactRef.Visitor(key);

    private async Task<Store> CreateAsync(string kind)
    {
        if (kind == "memory")
        {
            return new Store(new InMemoryWindowCheckStore(), null);
        }

        var db = NpgsqlDataSource.Create(await postgres.CreateMigratedDatabaseAsync("windows"));
        return new Store(new PostgresWindowCheckStore(db), db);
    }

    private sealed record Store(IWindowCheckStore Checks, NpgsqlDataSource? DataSource) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (Checks is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }

            if (DataSource is not null)
            {
                await DataSource.DisposeAsync();
            }
        }
    }
}
