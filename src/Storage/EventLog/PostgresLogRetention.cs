using ProductEvents.Abstractions.Segments;
using ProductEvents.Storage.Common;

namespace ProductEvents.Storage.EventLog;

/// <summary>
/// Retention on the PostgreSQL log (deploy/sql/V031): monthly partitions listed from the catalog and dropped whole,
/// batches of rows deleted by their key, and the <c>contact_reloads</c> queue written in the same transactions.
/// </summary>
public sealed class PostgresLogRetention(NpgsqlDataSource dataSource, TimeProvider clock) : IEventLogRetention
{
    /// <summary>How long a month's drop waits for the lock on the log before it gives up until the next round.</summary>
    public static readonly TimeSpan DropLockTimeout = TimeSpan.FromSeconds(5);

    private const string Failure = "apply retention";

    /// <summary>
    /// A removed entry's contact, and the contact its visitor was merged into: whose grains rebuild. The union has each
    /// contact once; a contact queued before is queued again (a later time), so a rebuild already under way does not
    /// take it off the queue.
    /// </summary>
    private const string QueueReloadsSql =
        """
        INSERT INTO contact_reloads (app_id, contact_key, queued_at)
        SELECT app_id, contact_key, clock_timestamp() FROM (
            SELECT app_id, CASE WHEN user_id IS NOT NULL THEN 'u/' || user_id ELSE 'k/' || user_key END AS contact_key FROM {0}
            UNION
            SELECT a.app_id, 'u/' || a.user_id FROM {0} r JOIN contact_aliases a ON a.app_id = r.app_id AND a.user_key = r.user_key
            WHERE r.user_id IS NULL) c
        ON CONFLICT (app_id, contact_key) DO UPDATE SET queued_at = EXCLUDED.queued_at
        """;

    private readonly PostgresLogOutage _outage = new(clock);

    public Task<IReadOnlyList<LogMonth>> ListMonthsAsync(CancellationToken cancellationToken = default) =>
        _outage.RunAsync(Failure, async () =>
        {
            var months = new List<(string Partition, DateTimeOffset Start, DateTimeOffset End)>();
            await using (var command = dataSource.CreateCommand("SELECT partition_name, month_start, month_end FROM product_events_months()"))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    months.Add((reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetFieldValue<DateTimeOffset>(2)));
                }
            }

            var listed = new List<LogMonth>(months.Count);
            foreach (var (partition, start, end) in months)
            {
                // One index probe per distinct app (a skip scan), not a read of the month.
                await using var command = dataSource.CreateCommand(
                    $"""
                    WITH RECURSIVE apps(app_id) AS (
                        (SELECT app_id FROM {Quote(partition)} ORDER BY app_id LIMIT 1)
                        UNION ALL
                        SELECT (SELECT app_id FROM {Quote(partition)} WHERE app_id > apps.app_id ORDER BY app_id LIMIT 1) FROM apps WHERE apps.app_id IS NOT NULL)
                    SELECT app_id FROM apps WHERE app_id IS NOT NULL
                    """);
                var apps = new List<string>();
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    apps.Add(reader.GetString(0));
                }

                listed.Add(new LogMonth(partition, start, end, apps));
            }

            return (IReadOnlyList<LogMonth>)listed;
        });

    public Task<IReadOnlyList<(string AppId, string ProductId)>> ListProductsOfMonthAsync(
        LogMonth month, (string AppId, string ProductId)? after, int limit, CancellationToken cancellationToken = default) =>
        _outage.RunAsync(Failure, async () =>
        {
            var table = Quote(month.Partition);
            await using var command = dataSource.Command(
                $"""
                WITH RECURSIVE products(app_id, product_id) AS (
                    (SELECT app_id, product_id FROM {table} WHERE (app_id, product_id) > ($1, $2) ORDER BY app_id, product_id LIMIT 1)
                    UNION ALL
                    SELECT n.app_id, n.product_id FROM products p CROSS JOIN LATERAL (
                        SELECT app_id, product_id FROM {table} WHERE (app_id, product_id) > (p.app_id, p.product_id)
                        ORDER BY app_id, product_id LIMIT 1) n)
                SELECT app_id, product_id FROM products LIMIT $3
                """,
                after?.AppId ?? "", after?.ProductId ?? "", limit);
            var products = new List<(string, string)>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                products.Add((reader.GetString(0), reader.GetString(1)));
            }

            return (IReadOnlyList<(string, string)>)products;
        });

    public Task DropMonthAsync(LogMonth month, CancellationToken cancellationToken = default) =>
        _outage.RunAsync(Failure, async () =>
        {
            var table = Quote(month.Partition);
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

            // Dropping a partition locks the whole log for an instant: never queue behind a long reader for it.
            await using (var timeout = new NpgsqlCommand($"SET LOCAL lock_timeout = '{(int)DropLockTimeout.TotalMilliseconds}ms'", connection, transaction))
            {
                await timeout.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var reloads = new NpgsqlCommand(string.Format(System.Globalization.CultureInfo.InvariantCulture, QueueReloadsSql, table), connection, transaction))
            {
                reloads.CommandTimeout = 0;
                await reloads.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var claims = new NpgsqlCommand(
                "DELETE FROM product_event_ids WHERE app_id = ANY($1) AND received_at >= $2 AND received_at < $3", connection, transaction))
            {
                claims.CommandTimeout = 0;
                claims.Parameters.Add(new NpgsqlParameter { Value = month.AppIds.ToArray() });
                claims.Parameters.Add(new NpgsqlParameter { Value = month.Start });
                claims.Parameters.Add(new NpgsqlParameter { Value = month.End });
                await claims.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var drop = new NpgsqlCommand($"DROP TABLE {table}", connection, transaction))
            {
                await drop.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        });

    public Task<RetentionBatch> NextBatchAsync(string appId, DateTimeOffset before, long afterSeq, int limit, CancellationToken cancellationToken = default) =>
        _outage.RunAsync(Failure, async () =>
        {
            await using var command = dataSource.Command(
                "SELECT seq, received_at, product_id FROM product_events WHERE app_id = $1 AND received_at < $2 AND seq > $3 ORDER BY seq LIMIT $4",
                appId, before, afterSeq, limit);
            var entries = new List<(long, DateTimeOffset)>();
            var products = new HashSet<string>(StringComparer.Ordinal);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                entries.Add((reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1)));
                products.Add(reader.GetString(2));
            }

            return new RetentionBatch(appId, entries, [.. products]);
        });

    public Task<int> RemoveAsync(RetentionBatch batch, CancellationToken cancellationToken = default) =>
        batch.Entries.Count == 0
            ? Task.FromResult(0)
            : _outage.RunAsync(Failure, async () =>
            {
                await using var command = dataSource.Command(
                    $"""
                    WITH removed AS (
                        DELETE FROM product_events e USING unnest($2::bigint[], $3::timestamptz[]) AS b(seq, received_at)
                        WHERE e.seq = b.seq AND e.received_at = b.received_at AND e.app_id = $1
                        RETURNING e.app_id, e.user_id, e.user_key, e.event_id),
                    claims AS (DELETE FROM product_event_ids i USING removed r WHERE i.app_id = r.app_id AND i.event_id = r.event_id),
                    reloads AS ({string.Format(System.Globalization.CultureInfo.InvariantCulture, QueueReloadsSql, "removed")})
                    SELECT count(*) FROM removed
                    """,
                    batch.AppId, batch.Entries.Select(e => e.Seq).ToArray(), batch.Entries.Select(e => e.ReceivedAt).ToArray());
                return (int)(long)(await command.ExecuteScalarAsync(cancellationToken))!;
            });

    public Task<int> RemoveClaimsAsync(string appId, DateTimeOffset before, int limit, CancellationToken cancellationToken = default) =>
        _outage.RunAsync(Failure, async () =>
        {
            await using var command = dataSource.Command(
                """
                DELETE FROM product_event_ids WHERE ctid = ANY(ARRAY(
                    SELECT ctid FROM product_event_ids WHERE app_id = $1 AND received_at < $2 LIMIT $3))
                """,
                appId, before, limit);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        });

    public Task<IReadOnlyList<ContactReload>> PendingReloadsAsync(int limit, CancellationToken cancellationToken = default) =>
        _outage.RunAsync(Failure, async () =>
        {
            await using var command = dataSource.Command(
                "SELECT app_id, contact_key, queued_at FROM contact_reloads ORDER BY queued_at LIMIT $1", limit);
            var reloads = new List<ContactReload>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                reloads.Add(new ContactReload(reader.GetString(0), ContactKeys.Parse(reader.GetString(1)), reader.GetFieldValue<DateTimeOffset>(2)));
            }

            return (IReadOnlyList<ContactReload>)reloads;
        });

    public Task CompleteReloadsAsync(IReadOnlyList<ContactReload> reloaded, CancellationToken cancellationToken = default) =>
        reloaded.Count == 0
            ? Task.CompletedTask
            : _outage.RunAsync(Failure, async () =>
            {
                await using var command = dataSource.CreateCommand(
                    """
                    DELETE FROM contact_reloads r USING unnest($1::text[], $2::text[], $3::timestamptz[]) AS d(app_id, contact_key, queued_at)
                    WHERE r.app_id = d.app_id AND r.contact_key = d.contact_key AND r.queued_at = d.queued_at
                    """);
                command.AddArray(reloaded.Select(r => r.AppId));
                command.AddArray(reloaded.Select(r => ContactKeys.Of(r.Contact)));
                command.AddArray(reloaded.Select(r => r.QueuedAt));
                await command.ExecuteNonQueryAsync(cancellationToken);
            });

    /// <summary>Partition names come from the catalog and match <c>product_events_yYYYYmMM</c>; quoted all the same.</summary>
    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
