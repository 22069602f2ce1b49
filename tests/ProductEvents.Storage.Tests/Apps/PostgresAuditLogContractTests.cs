using Npgsql;
using ProductEvents.Storage.Audit;
using ProductEvents.Testing;

namespace ProductEvents.Storage.Tests.Apps;

/// <summary>On the shared database: each test keeps to an app of its own.</summary>
[Collection(PostgresFixture.Collection)]
public sealed class PostgresAuditLogContractTests(PostgresFixture postgres) : AuditLogContract
{
    private NpgsqlDataSource? _dataSource;

    protected override Task<IAuditLog> CreateLogAsync(TimeProvider clock)
    {
        _dataSource = NpgsqlDataSource.Create(postgres.ConnectionString);
        return Task.FromResult<IAuditLog>(new PostgresAuditLog(_dataSource, clock));
    }

    public override async Task DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
    }
}
