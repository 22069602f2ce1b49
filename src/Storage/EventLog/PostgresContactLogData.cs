namespace ProductEvents.Storage.EventLog;

/// <summary>
/// A contact's entries in the PostgreSQL log, for export and erasure. An erasure deletes in batches of
/// <see cref="EraseBatchSize"/> entries, each batch one transaction with its idempotency claims.
/// </summary>
public sealed class PostgresContactLogData(NpgsqlDataSource dataSource, TimeProvider clock) : IContactLogData
{
    /// <summary>Entries one erasing statement deletes at most: a contact of millions of entries holds no lock for long.</summary>
    public const int EraseBatchSize = 10_000;

    private const string EraseFailure = "erase a contact's entries";

    private const string ContactCondition = "app_id = $1 AND (user_id = $2 OR (user_id IS NULL AND user_key = ANY($3)))";

    private readonly PostgresLogOutage _outage = new(clock);

    public Task<IReadOnlyList<ProductEventRecord>> ReadContactPageAsync(string appId, ContactRef contact, long afterSeq, int limit, CancellationToken cancellationToken = default) =>
        _outage.RunAsync(PostgresLogOutage.Read, async () =>
        {
            await using var command = dataSource.CreateCommand(
                $"""
                SELECT {PostgresLogRows.Columns} FROM product_events
                WHERE app_id = $1 AND {(contact.IsAnonymous ? "user_id IS NULL AND user_key = $2" : "user_id = $2")} AND seq > $3
                ORDER BY seq LIMIT $4
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = appId });
            command.Parameters.Add(new NpgsqlParameter { Value = contact.Value });
            command.Parameters.Add(new NpgsqlParameter { Value = afterSeq });
            command.Parameters.Add(new NpgsqlParameter { Value = limit });
            var entries = new List<ProductEventRecord>(Math.Min(limit, 1024));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                entries.Add(PostgresLogRows.ReadRecord(reader, 0));
            }

            return (IReadOnlyList<ProductEventRecord>)entries;
        });

    public Task<IReadOnlyList<string>> ListProductsOfAsync(string appId, string userId, IReadOnlyList<string> visitorKeys, CancellationToken cancellationToken = default) =>
        _outage.RunAsync(PostgresLogOutage.Read, async () =>
        {
            await using var command = Contact($"SELECT DISTINCT product_id FROM product_events WHERE {ContactCondition}", appId, userId, visitorKeys);
            var products = new List<string>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                products.Add(reader.GetString(0));
            }

            return (IReadOnlyList<string>)products;
        });

    public Task<long> EraseContactAsync(string appId, string userId, IReadOnlyList<string> visitorKeys, CancellationToken cancellationToken = default) =>
        _outage.RunAsync(EraseFailure, async () =>
        {
            long erased = 0;
            while (true)
            {
                // One statement, one transaction: the batch's entries and their idempotency claims.
                await using var command = Contact(
                    $"""
                    WITH doomed AS (SELECT seq, received_at FROM product_events WHERE {ContactCondition} LIMIT {EraseBatchSize}),
                         removed AS (DELETE FROM product_events e USING doomed d WHERE e.seq = d.seq AND e.received_at = d.received_at
                                     RETURNING e.app_id, e.event_id),
                         claims AS (DELETE FROM product_event_ids i USING removed r WHERE i.app_id = r.app_id AND i.event_id = r.event_id)
                    SELECT count(*) FROM removed
                    """,
                    appId, userId, visitorKeys);
                var batch = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
                erased += batch;
                if (batch < EraseBatchSize)
                {
                    break;
                }
            }

            // Last: a merge recorded while the entries were deleted still names only visitors this erasure covers.
            await using var aliases = dataSource.CreateCommand("DELETE FROM contact_aliases WHERE app_id = $1 AND user_id = $2 AND user_key = ANY($3)");
            aliases.Parameters.Add(new NpgsqlParameter { Value = appId });
            aliases.Parameters.Add(new NpgsqlParameter { Value = userId });
            aliases.Parameters.Add(new NpgsqlParameter { Value = visitorKeys.ToArray() });
            await aliases.ExecuteNonQueryAsync(cancellationToken);
            return erased;
        });

    private NpgsqlCommand Contact(string sql, string appId, string userId, IReadOnlyList<string> visitorKeys)
    {
        var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = appId });
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        command.Parameters.Add(new NpgsqlParameter { Value = visitorKeys.ToArray() });
        return command;
    }
}
