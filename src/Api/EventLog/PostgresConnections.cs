using Npgsql;

namespace ProductEvents.Api.EventLog;

/// <summary>Connection settings the service's own pools use unless the connection string says otherwise.</summary>
public static class PostgresConnections
{
    /// <summary>Npgsql's default pool size; a connection string that keeps it gets <see cref="PoolSize"/> instead.</summary>
    private const int NpgsqlDefaultPoolSize = 100;

    /// <summary>
    /// Enough for one group commit at a time plus the reads of grains being loaded; two pools (the log's and Orleans')
    /// of Npgsql's default 100 would fill a default PostgreSQL's 100 connections before doing more work.
    /// </summary>
    public const int PoolSize = 32;

    public static string Tune(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxPoolSize == NpgsqlDefaultPoolSize)
        {
            builder.MaxPoolSize = PoolSize;
        }

        // The service changes no session state, so returning a connection to the pool needs no reset round trip.
        builder.NoResetOnClose = true;
        return builder.ConnectionString;
    }

    /// <summary>The service key of the new-key probe's data source.</summary>
    public const string ProbesKey = "new-key-probes";

    /// <summary>Connections of the new-key probe at most; probes queue for one beyond that.</summary>
    public const int ProbePoolSize = 4;

    /// <summary>
    /// The pool of the new-key probe (<see cref="IEventLog.FindNewKeysAsync"/>), which runs with nearly every commit
    /// while new products and contacts arrive. Planning it anew each time cost PostgreSQL as much as running it (the
    /// log is partitioned, and each partition's indexes are weighed), so its statements are prepared once per
    /// connection and always run one generic plan. The planner of these connections may only probe indexes: a plan
    /// made while the log is tiny (a new deployment, a new month's partition) must not read the log whole once it is large.
    /// </summary>
    public static NpgsqlDataSource CreateProbeDataSource(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(Tune(connectionString))
        {
            MaxPoolSize = ProbePoolSize,
            MaxAutoPrepare = 8,
            AutoPrepareMinUsages = 2,
        };
        builder.Options = string.Join(' ', new[]
        {
            builder.Options,
            "-c plan_cache_mode=force_generic_plan -c enable_seqscan=off -c enable_hashjoin=off -c enable_mergejoin=off",
        }.Where(o => !string.IsNullOrWhiteSpace(o)));
        return NpgsqlDataSource.Create(builder.ConnectionString);
    }
}
