using Npgsql;
using ProductEvents.Abstractions;
using ProductEvents.Abstractions.Automations;
using ProductEvents.Abstractions.Segments;

namespace ProductEvents.Api.Automations;

/// <summary>Durable run listing (table <c>automation_runs</c>).</summary>
public sealed class PostgresAutomationRunStore(NpgsqlDataSource dataSource) : IAutomationRunStore
{
    public async Task UpsertAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO automation_runs (app_id, automation_id, run_id, contact_key, status, due_at, trigger_id, trigger_kind,
                trigger_product_id, trigger_event_type, trigger_segment_id, trigger_at, reason, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
            ON CONFLICT (app_id, automation_id, run_id) DO UPDATE SET status = $5, due_at = $6, reason = $13, updated_at = $14
            """);
        var t = run.Trigger;
        foreach (var value in new object?[]
                 {
                     run.AppId, run.AutomationId, run.RunId, ContactKeys.Of(run.Contact), StatusNames.Of(run.Status), run.DueAt, t.Id, t.Kind,
                     t.ProductId, t.EventType is { } type ? (int)type : null, t.SegmentId, t.Timestamp, run.Reason, run.UpdatedAt,
                 })
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<RunRecord>> ListAsync(string appId, string automationId, RunStatus? status, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT run_id, contact_key, status, due_at, trigger_id, trigger_kind, trigger_product_id, trigger_event_type, trigger_segment_id,
                   trigger_at, reason, updated_at
            FROM automation_runs WHERE app_id = $1 AND automation_id = $2 AND ($3::text IS NULL OR status = $3)
            ORDER BY due_at DESC, run_id LIMIT $4
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = appId });
        command.Parameters.Add(new NpgsqlParameter { Value = automationId });
        command.Parameters.Add(new NpgsqlParameter { Value = status is { } s ? StatusNames.Of(s) : DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        var runs = new List<RunRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            StatusNames.TryParseRun(reader.GetString(2), out var runStatus);
            var trigger = new TriggerEvent(
                reader.GetString(4), reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetFieldValue<DateTimeOffset>(9),
                reader.IsDBNull(7) ? null : (ProductEventType)reader.GetInt32(7), reader.IsDBNull(8) ? null : reader.GetString(8));
            runs.Add(new RunRecord(appId, automationId, reader.GetString(0), ContactKeys.Parse(reader.GetString(1)), runStatus,
                reader.GetFieldValue<DateTimeOffset>(3), trigger, reader.GetFieldValue<DateTimeOffset>(11), reader.IsDBNull(10) ? null : reader.GetString(10)));
        }

        return runs;
    }
}
