using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using ProductEvents.Storage.EventLog;
using ProductEvents.Testing;

namespace ProductEvents.Storage.Tests.Contracts;

/// <summary>Each test on a database of its own: the newest entries are read across apps.</summary>
[Collection(PostgresFixture.Collection)]
public sealed class PostgresEventLogContractTests(PostgresFixture postgres) : EventLogContract
{
    private NpgsqlDataSource? _dataSource;

    protected override async Task<IEventLog> CreateLogAsync()
    {
        _dataSource = NpgsqlDataSource.Create(await postgres.CreateMigratedDatabaseAsync("event_log"));
        return Open(_dataSource);
    }

    /// <summary>A new instance on the same database, as a restarted silo: it remembers nothing of its own.</summary>
    protected override Task<IEventLog> OpenAgainAsync() => Task.FromResult(Open(_dataSource!));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
    }

    private static IEventLog Open(NpgsqlDataSource dataSource) =>
        new PostgresEventLog(dataSource, TimeProvider.System, Options.Create(new EventLogOptions()), NullLogger<PostgresEventLog>.Instance);
}
