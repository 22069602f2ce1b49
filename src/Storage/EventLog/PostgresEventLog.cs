using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ProductEvents.Storage.EventLog;

/// <summary>
/// The durable log on PostgreSQL: group commits (<see cref="PostgresLogAppender"/>), replays
/// (<see cref="PostgresLogReplay"/>), listings and counts (<see cref="PostgresLogListings"/>), partition upkeep
/// (<see cref="PostgresLogPartitions"/>) and readiness, with one translation of failures (<see cref="PostgresLogOutage"/>).
/// </summary>
public sealed class PostgresEventLog : IEventLog
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresLogOutage _outage;
    private readonly PostgresLogReadiness _readiness;
    private readonly PostgresLogPartitions _partitions;
    private readonly PostgresLogAppender _appender;
    private readonly PostgresLogReplay _replay;
    private readonly PostgresLogListings _listings;
    private readonly PostgresLogWriter _writer;

    public PostgresEventLog(NpgsqlDataSource dataSource, TimeProvider clock, IOptions<EventLogOptions> options, ILogger<PostgresEventLog> logger)
    {
        _dataSource = dataSource;
        _outage = new PostgresLogOutage(clock);
        _readiness = new PostgresLogReadiness(dataSource, _outage);
        _partitions = new PostgresLogPartitions(dataSource, logger);
        _writer = new PostgresLogWriter(dataSource, _outage);
        _appender = new PostgresLogAppender(dataSource, _partitions, _writer, _outage, options.Value);
        _replay = new PostgresLogReplay(dataSource, _outage);
        _listings = new PostgresLogListings(dataSource, _outage);
    }

    public string Describe() => $"PostgreSQL ({_dataSource.ConnectionString.Split(';').FirstOrDefault(p => p.StartsWith("Host", StringComparison.OrdinalIgnoreCase)) ?? "configured host"})";

    public Task<bool> IsReadyAsync(CancellationToken cancellationToken = default) => _readiness.IsReadyAsync(cancellationToken);

    public Task<AppendResult> AppendAsync(IReadOnlyList<ProductEventRecord> events, CancellationToken cancellationToken = default) =>
        _appender.AppendAsync(events, cancellationToken);

    public Task<WriterTakeover> TakeOverAsync(string holder, CancellationToken cancellationToken = default) =>
        _writer.TakeOverAsync(holder, cancellationToken);

    public Task RecordAppliedAsync(long seq, CancellationToken cancellationToken = default) => _writer.RecordAppliedAsync(seq, cancellationToken);

    public Task<IReadOnlyList<ProductEventRecord>> ReadAfterAsync(long afterSeq, int limit, CancellationToken cancellationToken = default) =>
        _replay.ReadAfterAsync(afterSeq, limit, cancellationToken);

    public Task<AppEntries> ReadAppAfterAsync(string appId, long afterSeq, int limit, CancellationToken cancellationToken = default) =>
        _replay.ReadAppAfterAsync(appId, afterSeq, limit, cancellationToken);

    /// <summary>Creates the monthly partitions for the month of <paramref name="time"/> and the next two, unless they are.</summary>
    public Task EnsurePartitionsAsync(DateTimeOffset time, CancellationToken cancellationToken = default) =>
        _outage.RunAsync(PostgresLogOutage.CreatePartitions, () => _partitions.EnsureAsync(time, cancellationToken));

    public IAsyncEnumerable<ProductEventRecord> ReadProductAsync(string appId, string productId, long afterSeq, CancellationToken cancellationToken = default) =>
        _replay.ReadProductAsync(appId, productId, afterSeq, cancellationToken);

    public IAsyncEnumerable<ProductEventRecord> ReadContactAsync(string appId, ContactRef contact, long afterSeq, CancellationToken cancellationToken = default) =>
        _replay.ReadContactAsync(appId, contact, afterSeq, cancellationToken);

    public Task<IReadOnlyList<string>> ReadAliasedKeysAsync(string appId, string userId, CancellationToken cancellationToken = default) =>
        _replay.ReadAliasedKeysAsync(appId, userId, cancellationToken);

    public Task<IReadOnlyList<ContactRef>> ListContactsAsync(string appId, string? afterContactKey, int limit, CancellationToken cancellationToken = default) =>
        _listings.ListContactsAsync(appId, afterContactKey, limit, cancellationToken);

    public Task<long> CountContactsAsync(string appId, CancellationToken cancellationToken = default) =>
        _listings.CountContactsAsync(appId, cancellationToken);

    public Task<IReadOnlyList<ContactRef>> ListContactsOfProductAsync(string appId, string productId, CancellationToken cancellationToken = default) =>
        _listings.ListContactsOfProductAsync(appId, productId, cancellationToken);

    public Task<IReadOnlyList<(string AppId, ContactRef Contact)>> ListRecentContactsAsync(TimeSpan window, int maxEntries, CancellationToken cancellationToken = default) =>
        _listings.ListRecentContactsAsync(window, maxEntries, cancellationToken);

    public Task<EventPage> QueryAsync(EventQuery query, CancellationToken cancellationToken = default) => _listings.QueryAsync(query, cancellationToken);

    public Task<long> CountAsync(EventQuery query, CancellationToken cancellationToken = default) => _listings.CountAsync(query, cancellationToken);

    public Task<string> AddAliasAsync(string appId, string userKey, string userId, CancellationToken cancellationToken = default) =>
        _outage.RunAsync(PostgresLogOutage.RecordAlias, async () =>
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await ContactAliasSql.InsertAsync(connection, [(appId, userKey, userId)], cancellationToken);
            return (await ContactAliasSql.ResolveAsync(connection, appId, [userKey], cancellationToken))[userKey];
        });

    public Task<IReadOnlyDictionary<string, string>> ResolveAliasesAsync(string appId, IReadOnlyCollection<string> userKeys, CancellationToken cancellationToken = default) =>
        _outage.RunAsync(PostgresLogOutage.Read, async () =>
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            return await ContactAliasSql.ResolveAsync(connection, appId, userKeys, cancellationToken);
        });
}
