using Npgsql;
using ProductEvents.Abstractions.Automations;

namespace ProductEvents.Api.Automations;

/// <summary>Durable outbox (table <c>deliveries</c>); a claim leases rows with SKIP LOCKED, so silos never send the same row at once.</summary>
public sealed class PostgresDeliveryOutbox(NpgsqlDataSource dataSource) : IDeliveryOutbox
{
    private const string Columns = "id, app_id, automation_id, run_id, campaign_id, url, body, signature, status, attempts, next_attempt_at, last_error, created_at, updated_at";

    public async Task<bool> EnqueueAsync(Delivery d, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"INSERT INTO deliveries ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT (id) DO NOTHING");
        foreach (var value in new object?[] { d.Id, d.AppId, d.AutomationId, d.RunId, d.CampaignId, d.Url, d.Body, d.Signature, StatusNames.Of(d.Status), d.Attempts, d.NextAttemptAt, d.LastError, d.CreatedAt, d.UpdatedAt })
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public Task<IReadOnlyList<Delivery>> ClaimDueAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken = default) =>
        QueryAsync(
            $"""
            UPDATE deliveries SET next_attempt_at = $2 WHERE id IN (
                SELECT id FROM deliveries WHERE status IN ('pending', 'failed') AND next_attempt_at <= $1
                ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED)
            RETURNING {Columns}
            """,
            cancellationToken, now, leaseUntil, limit);

    public async Task RecordAttemptAsync(string id, DeliveryStatus status, int attempts, DateTimeOffset nextAttemptAt, string? lastError, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE deliveries SET status = $2, attempts = $3, next_attempt_at = $4, last_error = $5, updated_at = $6 WHERE id = $1");
        foreach (var value in new object?[] { id, StatusNames.Of(status), attempts, nextAttemptAt, lastError, now })
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<Delivery?> GetAsync(string appId, string id, CancellationToken cancellationToken = default) =>
        (await QueryAsync($"SELECT {Columns} FROM deliveries WHERE app_id = $1 AND id = $2", cancellationToken, appId, id)).FirstOrDefault();

    public Task<IReadOnlyList<Delivery>> ListAsync(string appId, DeliveryStatus? status, string? campaignId, string? beforeId, int limit, CancellationToken cancellationToken = default) =>
        QueryAsync(
            $"""
            SELECT {Columns} FROM deliveries d WHERE app_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR campaign_id = $3)
              AND ($4::text IS NULL OR (created_at, id) < (SELECT created_at, id FROM deliveries WHERE id = $4))
            ORDER BY created_at DESC, id DESC LIMIT $5
            """,
            cancellationToken, appId, status is { } s ? StatusNames.Of(s) : null, campaignId, beforeId, limit);

    public async Task<IReadOnlyDictionary<DeliveryStatus, long>> CountCampaignAsync(string appId, string campaignId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT status, count(*) FROM deliveries WHERE app_id = $1 AND campaign_id = $2 GROUP BY status");
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
        await using var command = dataSource.CreateCommand(
            "UPDATE deliveries SET status = 'pending', attempts = 0, next_attempt_at = $3, updated_at = $3 WHERE app_id = $1 AND id = $2 AND status = 'dead'");
        command.Parameters.Add(new NpgsqlParameter { Value = appId });
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private async Task<IReadOnlyList<Delivery>> QueryAsync(string sql, CancellationToken cancellationToken, params object?[] values)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

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
