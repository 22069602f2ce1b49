using Npgsql;
using ProductEvents.Storage.Automations;
using ProductEvents.Testing;

namespace ProductEvents.Storage.Tests.Contracts;

/// <summary>Each test on a database of its own: claims take due runs of every app.</summary>
[Collection(PostgresFixture.Collection)]
public sealed class PostgresAutomationRunStoreContractTests(PostgresFixture postgres) : AutomationRunStoreContract
{
    private NpgsqlDataSource? _dataSource;

    protected override async Task<IAutomationRunStore> CreateStoreAsync()
    {
        _dataSource = NpgsqlDataSource.Create(await postgres.CreateMigratedDatabaseAsync("runs"));
        return new PostgresAutomationRunStore(_dataSource);
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
