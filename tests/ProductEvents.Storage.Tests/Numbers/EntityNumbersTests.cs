using Npgsql;
using ProductEvents.Abstractions;
using ProductEvents.Storage.Numbers;
using ProductEvents.Testing;

namespace ProductEvents.Storage.Tests.Numbers;

/// <summary>
/// The integer ids of products and contacts: one per key and app, the same whoever asks and after a restart, never one
/// number for two entities, and a number read back only in its own app.
/// </summary>
[Collection(PostgresFixture.Collection)]
public sealed class EntityNumbersTests(PostgresFixture postgres)
{
    public static TheoryData<string> Kinds => ["memory", "postgres"];

    [Theory, MemberData(nameof(Kinds))]
    public async Task AKeyKeepsTheNumberItWasFirstGiven(string kind)
    {
        await using var db = await DatabaseAsync(kind, "numbers_kept");
        var numbers = Create(kind, db);

        var first = await numbers.GetOrAssignAsync("app", [Product("p1"), User("u1"), Visitor("v1"), Product("p1")]);
        var again = await numbers.GetOrAssignAsync("app", [Visitor("v1"), Product("p2"), User("u1"), Product("p1")]);

        Assert.Equal(first[0], first[3]);
        Assert.Equal(3, first.Distinct().Count());
        Assert.Equal(first[2], again[0]);
        Assert.Equal(first[1], again[2]);
        Assert.Equal(first[0], again[3]);
        Assert.DoesNotContain(again[1], first);
        Assert.All(first.Concat(again), n => Assert.True(n > 0));
    }

    [Theory, MemberData(nameof(Kinds))]
    public async Task ANumberNamesItsKeyInItsOwnAppOnly(string kind)
    {
        await using var db = await DatabaseAsync(kind, "numbers_apps");
        var numbers = Create(kind, db);
        var inApp = await numbers.GetOrAssignAsync("app", [Product("same"), User("same")]);
        var inOther = await numbers.GetOrAssignAsync("other", [Product("same")]);

        Assert.Equal(3, new[] { inApp[0], inApp[1], inOther[0] }.Distinct().Count());
        Assert.Equal(Product("same"), await numbers.FindAsync("app", inApp[0]));
        Assert.Equal(User("same"), await numbers.FindAsync("app", inApp[1]));
        Assert.Null(await numbers.FindAsync("other", inApp[0]));
        Assert.Equal(Product("same"), await numbers.FindAsync("other", inOther[0]));
        Assert.Null(await numbers.FindAsync("app", inOther[0]));
        Assert.Null(await numbers.FindAsync("app", 987_654_321));
    }

    [Fact]
    public async Task NumbersSurviveARestartAndAreNeverGivenAgain()
    {
        await using var db = NpgsqlDataSource.Create(await postgres.CreateMigratedDatabaseAsync("numbers_restart"));
        var before = await new PostgresEntityNumbers(db).GetOrAssignAsync("app", [Product("p1"), User("u1")]);

        // A new process: nothing cached.
        var restarted = new PostgresEntityNumbers(db);
        Assert.Equal(User("u1"), await restarted.FindAsync("app", before[1]));
        Assert.Equal(before, await restarted.GetOrAssignAsync("app", [Product("p1"), User("u1")]));
        var later = await restarted.GetOrAssignAsync("app", [Product("p2")]);
        Assert.True(later[0] > before.Max());
    }

    [Fact]
    public async Task SilosNumberingTheSameKeysAtOnceAgreeOnEachNumber()
    {
        await using var db = NpgsqlDataSource.Create(await postgres.CreateMigratedDatabaseAsync("numbers_race"));
        var keys = Enumerable.Range(0, 200).Select(i => i % 2 == 0 ? Product($"p{i}") : User($"u{i}")).ToArray();
        var silos = Enumerable.Range(0, 4).Select(_ => new PostgresEntityNumbers(db)).ToArray();

        // Each silo asks for the keys in its own order, in chunks, all at the same time.
        var answers = await Task.WhenAll(silos.Select(async (silo, s) =>
        {
            var order = s % 2 == 0 ? keys : keys.Reverse().ToArray();
            var found = new Dictionary<NumberedKey, long>();
            foreach (var chunk in order.Chunk(25 + s))
            {
                var numbers = await silo.GetOrAssignAsync("app", chunk);
                for (var i = 0; i < chunk.Length; i++)
                {
                    found[chunk[i]] = numbers[i];
                }
            }

            return found;
        }));

        Assert.All(answers, a => Assert.Equal(answers[0].OrderBy(p => p.Value), a.OrderBy(p => p.Value)));
        Assert.Equal(keys.Length, answers[0].Values.Distinct().Count());
        Assert.Equal(keys.Length, await CountRowsAsync(db));
    }

    private async Task<NpgsqlDataSource> DatabaseAsync(string kind, string name) =>
        NpgsqlDataSource.Create(kind == "postgres" ? await postgres.CreateMigratedDatabaseAsync(name) : postgres.ConnectionString);

    private static IEntityNumbers Create(string kind, NpgsqlDataSource db) =>
        kind == "postgres" ? new PostgresEntityNumbers(db) : new InMemoryEntityNumbers();

    private static async Task<long> CountRowsAsync(NpgsqlDataSource db)
    {
        await using var command = db.CreateCommand("SELECT count(*) FROM entity_numbers");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static NumberedKey Product(string id) => NumberedKey.Product(id);

    private static NumberedKey User(string id) => NumberedKey.Contact(ContactRef.User(id));

    private static NumberedKey Visitor(string key) => NumberedKey.Contact(ContactRef.Visitor(key));
}
