using Npgsql;
using ProductEvents.Silo.Migrations;
using ProductEvents.Storage.Migrations;
using ProductEvents.Testing;

namespace ProductEvents.Storage.Tests;

[Collection(PostgresFixture.Collection)]
public sealed class SchemaMigratorTests(PostgresFixture postgres)
{
    /// <summary>Every key the 10.4.2 ADO.NET clustering, persistence and reminder providers read.</summary>
    public static readonly string[] ProviderQueryKeys =
    [
        "ReadFromStorageKey", "WriteToStorageKey", "ClearStorageKey", "DeleteStorageKey",
        "MembershipReadAllKey", "MembershipReadRowKey", "InsertMembershipKey", "UpdateMembershipKey",
        "InsertMembershipVersionKey", "UpdateIAmAlivetimeKey", "GatewaysQueryKey", "DeleteMembershipTableEntriesKey",
        "CleanupDefunctSiloEntriesKey",
        "ReadReminderRowKey", "ReadReminderRowsKey", "ReadRangeRows1Key", "ReadRangeRows2Key",
        "UpsertReminderRowKey", "DeleteReminderRowKey", "DeleteReminderRowsKey",
    ];

    // The catalogue of everything the scripts create, to compare a database before and after.
    private const string SchemaSnapshot = """
        SELECT c.relkind::text || ' ' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public'
        UNION ALL
        SELECT 'function ' || p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'
        ORDER BY 1
        """;

    [Fact]
    public async Task MigrationsApplyToAnEmptyDatabase()
    {
        var connectionString = await postgres.CreateEmptyDatabaseAsync("empty");

        var applied = await new SchemaMigrator(connectionString).MigrateAsync();

        Assert.Equal(Migration.Embedded().Select(m => m.Version), applied.Select(m => m.Version));
        Assert.Equal([1, 2], applied.Select(m => m.Version).Take(2));
        var recorded = await new SchemaMigrator(connectionString).ReadAppliedAsync();
        Assert.Equal(applied.Select(m => (m.Version, m.Name, m.Checksum)), recorded.Select(r => (r.Version, r.Name, r.Checksum)));
        foreach (var table in new[] { "product_events", "product_event_ids", "orleansquery", "orleans_storage", "orleans_membership", "orleans_membership_version", "orleans_reminders" })
        {
            Assert.True(await Sql.ScalarAsync<bool>(connectionString, "SELECT to_regclass(@t) IS NOT NULL", ("t", table)), $"table {table} is missing");
        }

        var keys = await Sql.RowsAsync(connectionString, "SELECT QueryKey FROM OrleansQuery");
        Assert.Empty(ProviderQueryKeys.Except(keys));
    }

    [Fact]
    public async Task ApplyingTwiceChangesNothing()
    {
        var connectionString = await postgres.CreateEmptyDatabaseAsync("twice");
        await new SchemaMigrator(connectionString).MigrateAsync();
        var before = await SnapshotAsync(connectionString);

        var second = await new SchemaMigrator(connectionString).MigrateAsync();

        Assert.Empty(second);
        Assert.Equal(before, await SnapshotAsync(connectionString));
    }

    [Fact]
    public async Task ScriptsRunAgainByHandChangeNothing()
    {
        var connectionString = await postgres.CreateMigratedDatabaseAsync("rerun");
        var before = await SnapshotAsync(connectionString);

        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            foreach (var migration in Migration.Embedded())
            {
                await using var command = new NpgsqlCommand(migration.Sql, connection);
                await command.ExecuteNonQueryAsync();
            }
        }

        // xmin is part of the snapshot: a query row rewritten with the same text would show up as changed.
        Assert.Equal(before, await SnapshotAsync(connectionString));
    }

    [Fact]
    public async Task MigratorsRacingApplyEachVersionOnce()
    {
        var connectionString = await postgres.CreateEmptyDatabaseAsync("race");

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => new SchemaMigrator(connectionString).MigrateAsync())));

        var appliedVersions = results.SelectMany(r => r).Select(m => m.Version).Order().ToList();
        Assert.Equal(Migration.Embedded().Select(m => m.Version), appliedVersions);
        Assert.Equal(
            appliedVersions.Select(v => $"{v}|1"),
            await Sql.RowsAsync(connectionString, "SELECT version, count(*) FROM schema_migrations GROUP BY version ORDER BY version"));
    }

    [Fact]
    public async Task TheKeysOfALogWrittenBeforeTheKeyTablesAreRegisteredWhenTheyAreAdded()
    {
        var connectionString = await postgres.CreateEmptyDatabaseAsync("log_keys");
        await new SchemaMigrator(connectionString, [.. Migration.Embedded().Where(m => m.Version is not (5 or 24))]).MigrateAsync();
        await Sql.ExecuteAsync(
            connectionString,
            """
            SELECT product_events_ensure_partitions(now(), 1);
            INSERT INTO product_events (seq, id, app_id, product_id, event_type, user_id, user_key, occurred_at, received_at, attributes)
            VALUES (1, gen_random_uuid(), 'app', 'p1', 1, 'u1', NULL, now(), now(), '{}'),
                   (2, gen_random_uuid(), 'app', 'p1', 1, NULL, 'v1', now(), now(), '{}'),
                   (3, gen_random_uuid(), 'app', 'p2', 1, 'u2', 'v2', now(), now(), '{}'),
                   (4, gen_random_uuid(), 'other', 'p1', 1, 'u1', NULL, now(), now(), '{}');
            """);

        var applied = await new SchemaMigrator(connectionString).MigrateAsync();

        Assert.Equal([5, 24], applied.Select(m => m.Version));
        // v2 only ever came with its user: the visitor has no entries of its own.
        Assert.Equal(
            ["app|k|v1", "app|p|p1", "app|p|p2", "app|u|u1", "app|u|u2", "other|p|p1", "other|u|u1"],
            await Sql.RowsAsync(
                connectionString,
                """
                SELECT k.app_id, k.kind, k.id
                FROM (VALUES ('app', 'k', 'v1'), ('app', 'k', 'v2'), ('app', 'p', 'p1'), ('app', 'p', 'p2'), ('app', 'p', 'p3'),
                             ('app', 'u', 'u1'), ('app', 'u', 'u2'), ('other', 'p', 'p1'), ('other', 'p', 'p2'), ('other', 'u', 'u1'),
                             ('other', 'u', 'u2'), ('app', 'u', 'p1')) AS k (app_id, kind, id)
                JOIN log_key_hashes h ON h.key_hash = log_key_hash(k.app_id, k.kind, k.id) AND h.app_id = k.app_id
                ORDER BY 1, 2, 3
                """));
        Assert.Equal(["7"], await Sql.RowsAsync(connectionString, "SELECT count(*) FROM log_key_hashes"));
        Assert.Equal([""], await Sql.RowsAsync(connectionString, "SELECT coalesce(to_regclass('log_keys')::text, '')"));
    }

    [Fact]
    public async Task TheKeyHashTellsAppKindAndIdApart()
    {
        var connectionString = await postgres.CreateMigratedDatabaseAsync("key_hash");

        // The same characters split differently between app, kind and id are different keys.
        Assert.Equal(
            ["5"],
            await Sql.RowsAsync(
                connectionString,
                """
                SELECT count(DISTINCT log_key_hash(app_id, kind, id))
                FROM (VALUES ('ab', 'p', 'c'), ('a', 'p', 'bc'), ('ab', 'u', 'c'), ('a1', 'p', 'c'), ('a', 'p', '1c')) AS k (app_id, kind, id)
                """));
    }

    [Fact]
    public async Task ChangedScriptOfAnAppliedMigrationIsAnError()
    {
        var connectionString = await postgres.CreateMigratedDatabaseAsync("changed");
        var changed = Migration.Embedded()
            .Select(m => m.Version == 2 ? m with { Sql = m.Sql + "\n-- edited after release\n" } : m)
            .ToList();

        var error = await Assert.ThrowsAsync<MigrationChecksumException>(() => new SchemaMigrator(connectionString, changed).MigrateAsync());

        Assert.Equal(2, error.Version);
        Assert.Contains("V002__orleans", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NewMigrationIsAppliedAfterTheExistingOnes()
    {
        var connectionString = await postgres.CreateMigratedDatabaseAsync("newer");
        var next = Migration.FromFile("V900__probe.sql", "CREATE TABLE probe_table (id integer PRIMARY KEY);");

        var applied = await new SchemaMigrator(connectionString, [.. Migration.Embedded(), next]).MigrateAsync();

        Assert.Equal([900], applied.Select(m => m.Version));
        Assert.True(await Sql.ScalarAsync<bool>(connectionString, "SELECT to_regclass('probe_table') IS NOT NULL"));
        Assert.Equal(["900|probe"], await Sql.RowsAsync(connectionString, "SELECT version, name FROM schema_migrations WHERE version = 900"));
    }

    [Fact]
    public async Task FailingMigrationLeavesNoTraceAndIsNotRecorded()
    {
        var connectionString = await postgres.CreateMigratedDatabaseAsync("failing");
        var broken = Migration.FromFile("V901__broken.sql", "CREATE TABLE half_done (id integer);\nSELECT * FROM no_such_table;");

        await Assert.ThrowsAsync<PostgresException>(() => new SchemaMigrator(connectionString, [.. Migration.Embedded(), broken]).MigrateAsync());

        Assert.False(await Sql.ScalarAsync<bool>(connectionString, "SELECT to_regclass('half_done') IS NOT NULL"));
        Assert.Equal(0L, await Sql.ScalarAsync<long>(connectionString, "SELECT count(*) FROM schema_migrations WHERE version = 901"));
        Assert.Empty(await new SchemaMigrator(connectionString).MigrateAsync());
    }

    [Fact]
    public void FileNamesGiveVersionAndName()
    {
        var migration = Migration.FromFile("V012__add_things.sql", "SELECT 1;");

        Assert.Equal((12, "add_things"), (migration.Version, migration.Name));
        Assert.Equal(Migration.FromFile("V012__add_things.sql", "SELECT 1;\r\n").Checksum, Migration.FromFile("V012__add_things.sql", "SELECT 1;\n").Checksum);
        Assert.Throws<ArgumentException>(() => Migration.FromFile("012_add_things.sql", "SELECT 1;"));
    }

    private static async Task<IReadOnlyList<string>> SnapshotAsync(string connectionString) =>
    [
        .. await Sql.RowsAsync(connectionString, SchemaSnapshot),
        .. await Sql.RowsAsync(connectionString, "SELECT version, name, applied_at, checksum FROM schema_migrations ORDER BY version"),
        .. await Sql.RowsAsync(connectionString, "SELECT QueryKey, md5(QueryText), xmin::text FROM OrleansQuery ORDER BY QueryKey"),
    ];
}
