namespace ProductEvents.Storage.EventLog;

/// <summary>
/// The log's one writer (deploy/sql/V027). Taking over raises the epoch in <c>log_writer</c> under an exclusive advisory
/// lock; every commit of a writer that took over first takes the lock shared and reads the epoch, inside its own
/// transaction, so the takeover waits for the commits in flight and every later commit of the writer before fails with
/// <see cref="EventLogFencedException"/>. Log positions are then drawn in commit order across the cluster.
/// </summary>
internal sealed class PostgresLogWriter(NpgsqlDataSource dataSource, PostgresLogOutage outage)
{
    /// <summary>The advisory lock of the writer's epoch (the bytes of "PEwriter").</summary>
    private const long LockKey = 0x5045_7772_6974_6572;

    /// <summary>0 until this process takes over: appends of tools and tests that never do are not fenced.</summary>
    private long _epoch;

    /// <summary>Commits of this log must take their transaction to hold the lock until they end.</summary>
    public bool Fenced => Epoch != 0;

    public long Epoch => Volatile.Read(ref _epoch);

    public Task<WriterTakeover> TakeOverAsync(string holder, CancellationToken cancellationToken) =>
        outage.RunAsync(PostgresLogOutage.TakeOver, async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var batch = new NpgsqlBatch(connection, transaction);
            batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT pg_advisory_xact_lock({LockKey})"));
            var update = new NpgsqlBatchCommand(
                "UPDATE log_writer SET epoch = epoch + 1, holder = $1, taken_at = now() WHERE id = 1 RETURNING epoch, applied_through");
            update.Parameters.Add(new NpgsqlParameter<string> { TypedValue = holder });
            batch.BatchCommands.Add(update);
            long epoch, appliedThrough;
            await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
            {
                await reader.NextResultAsync(cancellationToken);
                if (!await reader.ReadAsync(cancellationToken))
                {
                    throw new InvalidOperationException("log_writer has no row: the schema migrations (V027) have not run.");
                }

                (epoch, appliedThrough) = (reader.GetInt64(0), reader.GetInt64(1));
            }

            await transaction.CommitAsync(cancellationToken);
            Volatile.Write(ref _epoch, epoch);
            return new WriterTakeover(epoch, appliedThrough);
        });

    /// <summary>
    /// The first statements of a commit's transaction: the lock held shared until the commit ends, then the epoch read
    /// (a statement of its own, so it sees a takeover that committed while the lock was awaited).
    /// </summary>
    public async Task CheckAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var epoch = Volatile.Read(ref _epoch);
        if (epoch == 0)
        {
            return;
        }

        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT pg_advisory_xact_lock_shared({LockKey})"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT epoch FROM log_writer WHERE id = 1"));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        var current = await reader.ReadAsync(cancellationToken) ? reader.GetInt64(0) : 0;
        if (current != epoch)
        {
            throw new EventLogFencedException(epoch, current);
        }
    }

    /// <summary>Records that every entry through <paramref name="seq"/> has reached its grains; a fenced writer records nothing.</summary>
    public Task RecordAppliedAsync(long seq, CancellationToken cancellationToken) =>
        outage.RunAsync(PostgresLogOutage.Commit, async () =>
        {
            await using var command = dataSource.CreateCommand(
                "UPDATE log_writer SET applied_through = greatest(applied_through, $2) WHERE id = 1 AND epoch = $1");
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = Volatile.Read(ref _epoch) });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = seq });
            await command.ExecuteNonQueryAsync(cancellationToken);
        });
}
