using Npgsql;
using ProductEvents.Storage.Automations;
using ProductEvents.Testing;

namespace ProductEvents.Storage.Tests.Contracts;

/// <summary>Each test on a database of its own: claims take due deliveries of every app.</summary>
[Collection(PostgresFixture.Collection)]
public sealed class PostgresDeliveryOutboxContractTests(PostgresFixture postgres) : DeliveryOutboxContract
{
    private NpgsqlDataSource? _dataSource;

    protected override async Task<IDeliveryOutbox> CreateOutboxAsync()
    {
        _dataSource = NpgsqlDataSource.Create(await postgres.CreateMigratedDatabaseAsync("outbox"));
        return new PostgresDeliveryOutbox(_dataSource, new DeliverySignal());
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
