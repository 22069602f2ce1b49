using Npgsql;
using ProductEvents.Storage.Segments;
using ProductEvents.Testing;

namespace ProductEvents.Storage.Tests.Contracts;

/// <summary>Each test on a database of its own: claims take due checks of every app.</summary>
[Collection(PostgresFixture.Collection)]
public sealed class PostgresWindowCheckStoreContractTests(PostgresFixture postgres) : WindowCheckStoreContract
{
    private NpgsqlDataSource? _dataSource;

    protected override async Task<IWindowCheckStore> CreateStoreAsync()
    {
        _dataSource = NpgsqlDataSource.Create(await postgres.CreateMigratedDatabaseAsync("window_checks"));
        return new PostgresWindowCheckStore(_dataSource);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
    }
}
