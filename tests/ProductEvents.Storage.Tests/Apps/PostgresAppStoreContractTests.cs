using Npgsql;
using ProductEvents.Storage.Apps;
using ProductEvents.Storage.Audit;
using ProductEvents.Testing;

namespace ProductEvents.Storage.Tests.Apps;

/// <summary>On the shared database: each test keeps to an app of its own.</summary>
[Collection(PostgresFixture.Collection)]
public sealed class PostgresAppStoreContractTests(PostgresFixture postgres) : AppStoreContract
{
    private NpgsqlDataSource? _dataSource;

    protected override Task<(IAppStore Store, IAuditLog Audit)> CreateStoresAsync(TimeProvider clock)
    {
        _dataSource = NpgsqlDataSource.Create(postgres.ConnectionString);
        return Task.FromResult<(IAppStore, IAuditLog)>((new PostgresAppStore(_dataSource, clock), new PostgresAuditLog(_dataSource, clock)));
    }

    public override async Task DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
    }
}
