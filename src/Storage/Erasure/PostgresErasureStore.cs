using ProductEvents.Storage.Common;
using ProductEvents.Storage.EventLog;

namespace ProductEvents.Storage.Erasure;

/// <summary>Erasure records in table <c>contact_erasures</c> (deploy/sql/V030); a claim leases rows with SKIP LOCKED.</summary>
public sealed class PostgresErasureStore(NpgsqlDataSource dataSource) : IErasureStore
{
    private const string Columns =
        "app_id, user_id, visitor_keys, requested_at, step, events, segments, runs, deliveries, attempts, last_error, done_at";

    public async Task<ContactErasure> RequestAsync(string appId, string userId, IReadOnlyList<string> visitorKeys, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        // A done erasure starts again; one under way keeps its row (the update's condition fails and the select reads it).
        var rows = await QueryAsync(
            $"""
            WITH requested AS (
                INSERT INTO contact_erasures (app_id, user_id, visitor_keys, requested_at, step)
                VALUES ($1, $2, $3, $4, 'log')
                ON CONFLICT (app_id, user_id) DO UPDATE
                SET visitor_keys = EXCLUDED.visitor_keys, requested_at = EXCLUDED.requested_at, step = 'log', events = 0, segments = 0,
                    runs = 0, deliveries = 0, attempts = 0, last_error = NULL, lease_until = NULL, done_at = NULL
                WHERE contact_erasures.done_at IS NOT NULL
                RETURNING {Columns})
            SELECT {Columns} FROM requested
            UNION ALL
            SELECT {Columns} FROM contact_erasures WHERE app_id = $1 AND user_id = $2 AND NOT EXISTS (SELECT 1 FROM requested)
            """,
            cancellationToken, appId, userId, visitorKeys.ToArray(), now);

        // An identical request committed at the same instant is not in this statement's snapshot: read it.
        return rows.SingleOrDefault()
            ?? await GetAsync(appId, userId, cancellationToken)
            ?? throw new InvalidOperationException($"The erasure of '{userId}' in app '{appId}' was neither recorded nor found.");
    }

    public async Task<ContactErasure?> GetAsync(string appId, string userId, CancellationToken cancellationToken = default) =>
        (await QueryAsync($"SELECT {Columns} FROM contact_erasures WHERE app_id = $1 AND user_id = $2", cancellationToken, appId, userId)).FirstOrDefault();

    public Task<IReadOnlyList<ContactErasure>> ClaimAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken = default) =>
        QueryAsync(
            $"""
            UPDATE contact_erasures SET lease_until = $2 WHERE ctid = ANY(ARRAY(
                SELECT ctid FROM contact_erasures WHERE done_at IS NULL AND (lease_until IS NULL OR lease_until <= $1)
                ORDER BY requested_at LIMIT $3 FOR UPDATE SKIP LOCKED))
            RETURNING {Columns}
            """,
            cancellationToken, now, leaseUntil, limit);

    public async Task SaveAsync(ContactErasure erasure, DateTimeOffset? leaseUntil, CancellationToken cancellationToken = default)
    {
        // A request that started the erasure again after it was done is not overwritten by the earlier run.
        await using var command = dataSource.Command(
            """
            UPDATE contact_erasures SET step = $4, events = $5, segments = $6, runs = $7, deliveries = $8, attempts = $9, last_error = $10,
                done_at = $11, lease_until = $12
            WHERE app_id = $1 AND user_id = $2 AND requested_at = $3
            """,
            erasure.AppId, erasure.UserId, erasure.RequestedAt, StepName(erasure.Step), erasure.Events, erasure.Segments, erasure.Runs,
            erasure.Deliveries, erasure.Attempts, erasure.LastError, erasure.DoneAt, leaseUntil);
        await RunAsync(() => command.ExecuteNonQueryAsync(cancellationToken));
    }

    public async Task<int> DeleteDoneAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.Command("DELETE FROM contact_erasures WHERE done_at < $1", before);
        return await RunAsync(() => command.ExecuteNonQueryAsync(cancellationToken));
    }

    private static string StepName(ErasureStep step) => step.ToString().ToLowerInvariant();

    private static ErasureStep ParseStep(string text) => Enum.Parse<ErasureStep>(text, ignoreCase: true);

    private async Task<IReadOnlyList<ContactErasure>> QueryAsync(string sql, CancellationToken cancellationToken, params object?[] values)
    {
        await using var command = dataSource.Command(sql, values);
        return await RunAsync(async () =>
        {
            var rows = new List<ContactErasure>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new ContactErasure(
                    reader.GetString(0), reader.GetString(1), reader.GetFieldValue<string[]>(2), reader.GetFieldValue<DateTimeOffset>(3),
                    ParseStep(reader.GetString(4)), reader.GetInt64(5), reader.GetInt32(6), reader.GetInt32(7), reader.GetInt32(8), reader.GetInt32(9),
                    reader.IsDBNull(10) ? null : reader.GetString(10), reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11)));
            }

            return (IReadOnlyList<ContactErasure>)rows;
        });
    }

    /// <summary>An outage is <see cref="EventLogUnavailableException"/>: the API answers it 503 with Retry-After.</summary>
    private static async Task<T> RunAsync<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException && !StorageErrors.IsDataError(ex))
        {
            throw new EventLogUnavailableException("PostgreSQL could not be reached for contact erasures.", ex);
        }
    }
}
