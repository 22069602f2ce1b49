using Npgsql;
using ProductEvents.Storage.Apps;
using ProductEvents.Storage.Audit;
using ProductEvents.Testing;

namespace ProductEvents.Storage.Tests.Apps;

/// <summary>What the tables hold: a key's hash, never its text; and the registry version moves for SQL by hand too.</summary>
[Collection(PostgresFixture.Collection)]
public sealed class PostgresAppKeysTests(PostgresFixture postgres) : IAsyncLifetime
{
    private readonly string _app = $"app-{Guid.NewGuid():N}";
    private NpgsqlDataSource? _dataSource;
    private PostgresAppStore? _store;

    private PostgresAppStore Store => _store ?? throw new InvalidOperationException("Not initialized.");

    public Task InitializeAsync()
    {
        _dataSource = NpgsqlDataSource.Create(postgres.ConnectionString);
        _store = new PostgresAppStore(_dataSource, TimeProvider.System);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
    }

    [Fact]
    public async Task NoTableHoldsAKeysTextOnlyItsSha256()
    {
        await Store.CreateAppAsync(_app, "Shop", [], AuditActors.Cli("tester"));
        var text = AppKeySecrets.Generate(AppKeyKind.Secret);
        var random = text[AppKeySecrets.SecretPrefix.Length..];
        await Store.AddKeyAsync(_app, "backend", AppKeyKind.Secret, AppKeySecrets.Hash(text), AuditActors.Cli("tester"));
        await Store.RotateKeyAsync(_app, "backend", _ => AppKeySecrets.Hash(text + "-not-used"), TimeSpan.Zero, AuditActors.Cli("tester"));

        var rows = await Sql.RowsAsync(postgres.ConnectionString,
            "SELECT k::text FROM app_keys k WHERE app_id = @app UNION ALL SELECT a::text FROM audit_log a WHERE app_id = @app UNION ALL SELECT p::text FROM apps p WHERE app_id = @app",
            ("app", _app));
        var hashes = await Sql.RowsAsync(postgres.ConnectionString, "SELECT encode(key_hash, 'hex') FROM app_keys WHERE app_id = @app ORDER BY id", ("app", _app));

        Assert.Equal(6, rows.Count);
        Assert.All(rows, row => Assert.DoesNotContain(random, row, StringComparison.Ordinal));
        Assert.Equal(Convert.ToHexStringLower(AppKeySecrets.Hash(text)), hashes[0]);
        Assert.Equal(AppKeySecrets.HashBytes * 2, hashes[0].Length);
    }

    [Fact]
    public async Task ARevocationBySqlMovesTheVersionAndALastUseBySqlDoesNot()
    {
        await Store.CreateAppAsync(_app, "Shop", [], AuditActors.Cli("tester"));
        await Store.AddKeyAsync(_app, "backend", AppKeyKind.Secret, AppKeySecrets.Hash(AppKeySecrets.Generate(AppKeyKind.Secret)), AuditActors.Cli("tester"));
        var before = await Store.ReadVersionAsync();

        await Sql.ExecuteAsync(postgres.ConnectionString, "UPDATE app_keys SET last_used_at = now() WHERE app_id = @app", ("app", _app));
        var afterUse = await Store.ReadVersionAsync();
        await Sql.ExecuteAsync(postgres.ConnectionString, "UPDATE app_keys SET revoked_at = now() WHERE app_id = @app", ("app", _app));
        var afterRevoke = await Store.ReadVersionAsync();

        Assert.Equal(before, afterUse);
        Assert.True(afterRevoke > afterUse);
        Assert.DoesNotContain((await Store.LoadAsync()).Keys, k => k.AppId == _app);
    }
}
