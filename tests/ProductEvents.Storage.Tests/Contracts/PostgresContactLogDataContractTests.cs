using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using ProductEvents.Storage.EventLog;
using ProductEvents.Testing;

namespace ProductEvents.Storage.Tests.Contracts;

/// <summary>Each test on a database of its own: the rebuild queue spans every app.</summary>
[Collection(PostgresFixture.Collection)]
public sealed class PostgresContactLogDataContractTests(PostgresFixture postgres) : ContactLogDataContract
{
    private NpgsqlDataSource? _dataSource;

    protected override async Task<(IEventLog Log, IContactLogData Data, IEventLogRetention Retention)> CreateAsync()
    {
        _dataSource = NpgsqlDataSource.Create(await postgres.CreateMigratedDatabaseAsync("contact_log"));
        return (
            new PostgresEventLog(_dataSource, TimeProvider.System, Options.Create(new EventLogOptions()), NullLogger<PostgresEventLog>.Instance),
            new PostgresContactLogData(_dataSource, TimeProvider.System),
            new PostgresLogRetention(_dataSource, TimeProvider.System));
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
