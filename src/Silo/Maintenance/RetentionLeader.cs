using Npgsql;

namespace ProductEvents.Silo.Maintenance;

/// <summary>
/// One retention round at a time in the cluster: in durable mode a PostgreSQL session advisory lock held for the round
/// (a silo that dies mid-round loses its session and the lock with it); in the embedded default there is one silo.
/// </summary>
public sealed class RetentionLeader(NpgsqlDataSource? dataSource)
{
    private const string LockKey = "product_events_retention";

    /// <summary>The lead for one round, released when disposed; null when another silo holds it.</summary>
    public async Task<IAsyncDisposable?> TryLeadAsync(CancellationToken cancellationToken)
    {
        if (dataSource is null)
        {
            return new Lead(null);
        }

        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand($"SELECT pg_try_advisory_lock(hashtext('{LockKey}'))", connection);
            if ((bool)(await command.ExecuteScalarAsync(cancellationToken))!)
            {
                return new Lead(connection);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        await connection.DisposeAsync();
        return null;
    }

    private sealed class Lead(NpgsqlConnection? connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (connection is null)
            {
                return;
            }

            try
            {
                // Pooled connections keep their session: the lock is released here, not by closing.
                await using var command = new NpgsqlCommand($"SELECT pg_advisory_unlock(hashtext('{LockKey}'))", connection);
                await command.ExecuteScalarAsync();
            }
            finally
            {
                await connection.DisposeAsync();
            }
        }
    }
}
