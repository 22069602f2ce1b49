using Npgsql;
using ProductEvents.Storage.Segments;
using ProductEvents.Testing;

namespace ProductEvents.Storage.Tests.Contracts;

/// <summary>On the collection's shared database: each test keeps to an app id of its own.</summary>
[Collection(PostgresFixture.Collection)]
public sealed class PostgresSegmentMembershipStoreContractTests(PostgresFixture postgres) : SegmentMembershipStoreContract
{
    private NpgsqlDataSource? _dataSource;

    protected override Task<ISegmentMembershipStore> CreateStoreAsync()
    {
        _dataSource = NpgsqlDataSource.Create(postgres.ConnectionString);
        return Task.FromResult<ISegmentMembershipStore>(new PostgresSegmentMembershipStore(_dataSource));
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
