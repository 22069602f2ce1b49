using ProductEvents.Silo.Migrations;
using ProductEvents.Storage.Migrations;
using Xunit;

namespace ProductEvents.Testing;

/// <summary>
/// One throwaway PostgreSQL per test collection, with a database migrated to the current schema.
/// A test project declares the collection: <c>[CollectionDefinition(PostgresFixture.Collection)] public sealed class
/// PostgresCollection : ICollectionFixture&lt;PostgresFixture&gt;;</c>
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public const string Collection = "Postgres";
    public const string DatabaseName = "productevents";

    private int databases;
    private PostgresServer? server;

    public PostgresServer Server => server ?? throw new InvalidOperationException("The PostgreSQL fixture has not started.");

    /// <summary>The migrated shared database. Tests keep to their own keys in it.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>The migrations applied to <see cref="ConnectionString"/> when the fixture started.</summary>
    public IReadOnlyList<Migration> AppliedMigrations { get; private set; } = [];

    public async Task InitializeAsync()
    {
        server = await PostgresServer.StartNewAsync();
        ConnectionString = await server.CreateDatabaseAsync(DatabaseName);
        AppliedMigrations = await new SchemaMigrator(ConnectionString).MigrateAsync();
    }

    /// <summary>A new empty database with a unique name starting with <paramref name="prefix"/>.</summary>
    public Task<string> CreateEmptyDatabaseAsync(string prefix = "test")
    {
        var name = $"{prefix}_{Interlocked.Increment(ref databases)}";
        return Server.CreateDatabaseAsync(name);
    }

    /// <summary>A new database with the current schema, for a test that must not share data.</summary>
    public async Task<string> CreateMigratedDatabaseAsync(string prefix = "test")
    {
        var connectionString = await CreateEmptyDatabaseAsync(prefix);
        await new SchemaMigrator(connectionString).MigrateAsync();
        return connectionString;
    }

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}
