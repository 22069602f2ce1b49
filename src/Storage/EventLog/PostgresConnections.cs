namespace ProductEvents.Storage.EventLog;

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
}
