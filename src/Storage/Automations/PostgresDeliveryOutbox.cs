using ProductEvents.Abstractions.Automations;
using ProductEvents.Abstractions.Segments;
using ProductEvents.Storage.Common;

namespace ProductEvents.Storage.Automations;

/// <summary>
/// Durable outbox (table <c>deliveries</c>); a claim leases rows with SKIP LOCKED, so silos never send the same row at
/// once. Attempts recorded by concurrent sends share one UPDATE (<see cref="WriteBatcher{T}"/>).
/// </summary>
public sealed class PostgresDeliveryOutbox : IDeliveryOutbox, IAsyncDisposable
{
    private const string Columns = "id, app_id, automation_id, run_id, campaign_id, url, body, signature, status, attempts, next_attempt_at, last_error, created_at, updated_at";

    private readonly NpgsqlDataSource _dataSource;
    private readonly DeliverySignal _signal;
    private readonly WriteBatcher<DeliveryAttempt> _attempts;

    public PostgresDeliveryOutbox(NpgsqlDataSource dataSource, DeliverySignal signal)
    {
        _dataSource = dataSource;
        _signal = signal;
        _attempts = new WriteBatcher<DeliveryAttempt>(UpdateAttemptsAsync, maxRows: 1_000);
    }

    public async Task<int> EnqueueAsync(IReadOnlyList<Delivery> deliveries, CancellationToken cancellationToken = default)
    {
        if (deliveries.Count == 0)
        {
            return 0;
        }

        await using var command = _dataSource.CreateCommand(
            $"""
            INSERT INTO deliveries ({Columns})
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                                 $10::integer[], $11::timestamptz[], $12::text[], $13::timestamptz[], $14::timestamptz[])
            ON CONFLICT (id) DO NOTHING
            """);
        command.AddArray(deliveries.Select(d => d.Id));
        command.AddArray(deliveries.Select(d => d.AppId));
        command.AddArray(deliveries.Select(d => d.AutomationId));
        command.AddArray(deliveries.Select(d => d.RunId));
        command.AddArray(deliveries.Select(d => d.CampaignId));
        command.AddArray(deliveries.Select(d => d.Url));
        command.AddArray(deliveries.Select(d => d.Body));
        command.AddArray(deliveries.Select(d => d.Signature));
        command.AddArray(deliveries.Select(d => StatusNames.Of(d.Status)));
        command.AddArray(deliveries.Select(d => d.Attempts));
        command.AddArray(deliveries.Select(d => d.NextAttemptAt.ToUniversalTime()));
        command.AddArray(deliveries.Select(d => d.LastError));
        command.AddArray(deliveries.Select(d => d.CreatedAt.ToUniversalTime()));
        command.AddArray(deliveries.Select(d => d.UpdatedAt.ToUniversalTime()));
        var added = await command.ExecuteNonQueryAsync(cancellationToken);
        _signal.Pulse();
        return added;
    }

    /// <summary>
    /// Walks the apps with due deliveries (one index probe per app, deploy/sql/V032) and takes each app's oldest, up to
    /// <paramref name="perApp"/>, skipping rows another worker holds.
    /// </summary>
    public Task<IReadOnlyList<Delivery>> ClaimDueAsync(
        DateTimeOffset now, DateTimeOffset leaseUntil, int limit, int perApp = int.MaxValue, IReadOnlyCollection<string>? busyApps = null,
        CancellationToken cancellationToken = default) =>
        QueryAsync(
            $"""
            WITH RECURSIVE apps AS (
                (SELECT app_id FROM deliveries WHERE status IN ('pending', 'failed') AND next_attempt_at <= $1 ORDER BY app_id LIMIT 1)
                UNION ALL
                SELECT (SELECT d.app_id FROM deliveries d
                        WHERE d.status IN ('pending', 'failed') AND d.next_attempt_at <= $1 AND d.app_id > apps.app_id
                        ORDER BY d.app_id LIMIT 1)
                FROM apps WHERE apps.app_id IS NOT NULL)
            UPDATE deliveries SET next_attempt_at = $2 WHERE ctid = ANY(ARRAY(
                SELECT c.ctid FROM apps a CROSS JOIN LATERAL (
                    SELECT d.ctid, d.next_attempt_at FROM deliveries d
                    WHERE d.app_id = a.app_id AND d.app_id <> ALL($5) AND d.status IN ('pending', 'failed') AND d.next_attempt_at <= $1
                    ORDER BY d.next_attempt_at LIMIT $4 FOR UPDATE SKIP LOCKED) c
                WHERE a.app_id IS NOT NULL
                ORDER BY c.next_attempt_at LIMIT $3))
            RETURNING {Columns}
            """,
            cancellationToken, now, leaseUntil, limit, perApp, (busyApps ?? []).ToArray());

    public Task RecordAttemptsAsync(IReadOnlyList<DeliveryAttempt> attempts, CancellationToken cancellationToken = default) =>
        _attempts.WriteAsync(attempts);

    public async Task<Delivery?> GetAsync(string appId, string id, CancellationToken cancellationToken = default) =>
        (await QueryAsync($"SELECT {Columns} FROM deliveries WHERE app_id = $1 AND id = $2", cancellationToken, appId, id)).FirstOrDefault();

    public Task<IReadOnlyList<Delivery>> ListAsync(string appId, DeliveryStatus? status, string? campaignId, string? beforeId, int limit, CancellationToken cancellationToken = default) =>
        QueryAsync(
            $"""
            SELECT {Columns} FROM deliveries d WHERE app_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR campaign_id = $3)
              AND ($4::text IS NULL OR (created_at, id) < (SELECT created_at, id FROM deliveries WHERE app_id = $1 AND id = $4))
            ORDER BY created_at DESC, id DESC LIMIT $5
            """,
            cancellationToken, appId, status is { } s ? StatusNames.Of(s) : null, campaignId, beforeId, limit);

    public async Task<IReadOnlyDictionary<DeliveryStatus, long>> CountCampaignAsync(string appId, string campaignId, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("SELECT status, count(*) FROM deliveries WHERE app_id = $1 AND campaign_id = $2 GROUP BY status");
        command.Parameters.Add(new NpgsqlParameter { Value = appId });
        command.Parameters.Add(new NpgsqlParameter { Value = campaignId });
        var counts = new Dictionary<DeliveryStatus, long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            StatusNames.TryParseDelivery(reader.GetString(0), out var status);
            counts[status] = reader.GetInt64(1);
        }

        return counts;
    }

    public async Task<bool> RetryAsync(string appId, string id, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(
            "UPDATE deliveries SET status = 'pending', attempts = 0, next_attempt_at = $3, updated_at = $3 WHERE app_id = $1 AND id = $2 AND status = 'dead'");
        command.Parameters.Add(new NpgsqlParameter { Value = appId });
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        if (await command.ExecuteNonQueryAsync(cancellationToken) != 1)
        {
            return false;
        }

        _signal.Pulse();
        return true;
    }

    public Task<IReadOnlyList<Delivery>> ListOfContactAsync(string appId, ContactRef contact, int limit, CancellationToken cancellationToken = default) =>
        QueryAsync(
            $"SELECT {Columns} FROM deliveries WHERE app_id = $1 AND contact_key = $2 ORDER BY created_at DESC, id DESC LIMIT $3",
            cancellationToken, appId, ContactKeys.Of(contact), limit);

    public async Task<(int Pending, int All)> EraseContactsAsync(string appId, IReadOnlyList<ContactRef> contacts, CancellationToken cancellationToken = default)
    {
        // contact_key is computed by PostgreSQL from the body (deploy/sql/V030).
        await using var command = _dataSource.CreateCommand(
            """
            WITH erased AS (DELETE FROM deliveries WHERE app_id = $1 AND contact_key = ANY($2) RETURNING status)
            SELECT count(*) FILTER (WHERE status IN ('pending', 'failed')), count(*) FROM erased
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = appId });
        command.Parameters.Add(new NpgsqlParameter { Value = contacts.Select(ContactKeys.Of).ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return ((int)reader.GetInt64(0), (int)reader.GetInt64(1));
    }

    public ValueTask DisposeAsync() => _attempts.DisposeAsync();

    private async Task UpdateAttemptsAsync(IReadOnlyList<DeliveryAttempt> attempts, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            """
            UPDATE deliveries d SET status = a.status, attempts = a.attempts, next_attempt_at = a.next_attempt_at, last_error = a.last_error,
                updated_at = a.updated_at
            FROM unnest($1::text[], $2::text[], $3::integer[], $4::timestamptz[], $5::text[], $6::timestamptz[])
                AS a(id, status, attempts, next_attempt_at, last_error, updated_at)
            WHERE d.id = a.id
            """);
        command.AddArray(attempts.Select(a => a.Id));
        command.AddArray(attempts.Select(a => StatusNames.Of(a.Status)));
        command.AddArray(attempts.Select(a => a.Attempts));
        command.AddArray(attempts.Select(a => a.NextAttemptAt.ToUniversalTime()));
        command.AddArray(attempts.Select(a => a.LastError));
        command.AddArray(attempts.Select(a => a.At.ToUniversalTime()));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<Delivery>> QueryAsync(string sql, CancellationToken cancellationToken, params object?[] values)
    {
        await using var command = _dataSource.Command(sql, values);

        var rows = new List<Delivery>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            StatusNames.TryParseDelivery(reader.GetString(8), out var status);
            rows.Add(new Delivery(
                reader.GetString(0), reader.GetString(1), Text(reader, 2), Text(reader, 3), Text(reader, 4), reader.GetString(5), reader.GetString(6),
                reader.GetString(7), status, reader.GetInt32(9), reader.GetFieldValue<DateTimeOffset>(10), Text(reader, 11),
                reader.GetFieldValue<DateTimeOffset>(12), reader.GetFieldValue<DateTimeOffset>(13)));
        }

        return rows;
    }

    private static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
