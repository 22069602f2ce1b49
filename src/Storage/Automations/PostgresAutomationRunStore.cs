using ProductEvents.Abstractions.Automations;
using ProductEvents.Abstractions.Segments;
using ProductEvents.Storage.Common;

namespace ProductEvents.Storage.Automations;

/// <summary>
/// Runs in table <c>automation_runs</c>. Starts from many contacts at once share one INSERT (<see cref="WriteBatcher{T}"/>);
/// a claim leases due rows with SKIP LOCKED (<see cref="LeasedClaims"/>), so silos never fire the same run at once.
/// </summary>
public sealed class PostgresAutomationRunStore : IAutomationRunStore, IAsyncDisposable
{
    /// <summary>Runs per INSERT at most.</summary>
    public const int MaxRowsPerWrite = 5_000;

    private const string Columns =
        "app_id, automation_id, run_id, contact_key, status, due_at, trigger_id, trigger_kind, trigger_product_id, trigger_event_type, " +
        "trigger_segment_id, trigger_at, reason, updated_at";

    private static readonly string ClaimSql = LeasedClaims.Sql("automation_runs", Columns, "status = 'waiting'");

    private readonly NpgsqlDataSource _dataSource;
    private readonly WriteBatcher<RunRecord> _starts;

    public PostgresAutomationRunStore(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
        _starts = new WriteBatcher<RunRecord>(InsertAsync, MaxRowsPerWrite);
    }

    public Task StartAsync(IReadOnlyList<RunRecord> runs, CancellationToken cancellationToken = default) => _starts.WriteAsync(runs);

    public Task<IReadOnlyList<RunRecord>> ClaimDueAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken = default) =>
        QueryAsync(ClaimSql, cancellationToken, now, leaseUntil, limit);

    public async Task CompleteAsync(IReadOnlyList<RunRecord> runs, CancellationToken cancellationToken = default)
    {
        if (runs.Count == 0)
        {
            return;
        }

        await using var command = _dataSource.CreateCommand(
            """
            UPDATE automation_runs r SET status = c.status, reason = c.reason, updated_at = c.updated_at, lease_until = NULL
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])
                AS c(app_id, automation_id, run_id, status, reason, updated_at)
            WHERE r.app_id = c.app_id AND r.automation_id = c.automation_id AND r.run_id = c.run_id AND r.status = 'waiting'
            """);
        command.AddArray(runs.Select(r => r.AppId));
        command.AddArray(runs.Select(r => r.AutomationId));
        command.AddArray(runs.Select(r => r.RunId));
        command.AddArray(runs.Select(r => StatusNames.Of(r.Status)));
        command.AddArray(runs.Select(r => r.Reason));
        command.AddArray(runs.Select(r => r.UpdatedAt.ToUniversalTime()));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task<IReadOnlyList<RunRecord>> ListAsync(string appId, string automationId, RunStatus? status, int limit, CancellationToken cancellationToken = default) =>
        QueryAsync(
            $"""
            SELECT {Columns} FROM automation_runs WHERE app_id = $1 AND automation_id = $2 AND ($3::text IS NULL OR status = $3)
            ORDER BY due_at DESC, run_id LIMIT $4
            """,
            cancellationToken, appId, automationId, status is { } s ? StatusNames.Of(s) : null, limit);

    public Task<IReadOnlyList<RunRecord>> ListOfContactAsync(string appId, ContactRef contact, int limit, CancellationToken cancellationToken = default) =>
        QueryAsync(
            $"SELECT {Columns} FROM automation_runs WHERE app_id = $1 AND contact_key = $2 ORDER BY due_at DESC, run_id LIMIT $3",
            cancellationToken, appId, ContactKeys.Of(contact), limit);

    public async Task<(int Waiting, int All)> EraseContactsAsync(string appId, IReadOnlyList<ContactRef> contacts, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(
            """
            WITH erased AS (DELETE FROM automation_runs WHERE app_id = $1 AND contact_key = ANY($2) RETURNING status)
            SELECT count(*) FILTER (WHERE status = 'waiting'), count(*) FROM erased
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = appId });
        command.Parameters.Add(new NpgsqlParameter { Value = contacts.Select(ContactKeys.Of).ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return ((int)reader.GetInt64(0), (int)reader.GetInt64(1));
    }

    public ValueTask DisposeAsync() => _starts.DisposeAsync();

    private async Task InsertAsync(IReadOnlyList<RunRecord> runs, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            $"""
            INSERT INTO automation_runs ({Columns})
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::text[], $8::text[],
                                 $9::text[], $10::integer[], $11::text[], $12::timestamptz[], $13::text[], $14::timestamptz[])
            ON CONFLICT (app_id, automation_id, run_id) DO NOTHING
            """);
        command.AddArray(runs.Select(r => r.AppId));
        command.AddArray(runs.Select(r => r.AutomationId));
        command.AddArray(runs.Select(r => r.RunId));
        command.AddArray(runs.Select(r => ContactKeys.Of(r.Contact)));
        command.AddArray(runs.Select(r => StatusNames.Of(r.Status)));
        command.AddArray(runs.Select(r => r.DueAt.ToUniversalTime()));
        command.AddArray(runs.Select(r => r.Trigger.Id));
        command.AddArray(runs.Select(r => r.Trigger.Kind));
        command.AddArray(runs.Select(r => r.Trigger.ProductId));
        command.AddArray(runs.Select(r => r.Trigger.EventType is { } type ? (int?)type : null));
        command.AddArray(runs.Select(r => r.Trigger.SegmentId));
        command.AddArray(runs.Select(r => r.Trigger.Timestamp.ToUniversalTime()));
        command.AddArray(runs.Select(r => r.Reason));
        command.AddArray(runs.Select(r => r.UpdatedAt.ToUniversalTime()));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<RunRecord>> QueryAsync(string sql, CancellationToken cancellationToken, params object?[] values)
    {
        await using var command = _dataSource.Command(sql, values);

        var runs = new List<RunRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            StatusNames.TryParseRun(reader.GetString(4), out var runStatus);
            var trigger = new TriggerEvent(
                reader.GetString(6), reader.GetString(7), Text(reader, 8), reader.GetFieldValue<DateTimeOffset>(11),
                reader.IsDBNull(9) ? null : (ProductEventType)reader.GetInt32(9), Text(reader, 10));
            runs.Add(new RunRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), ContactKeys.Parse(reader.GetString(3)), runStatus,
                reader.GetFieldValue<DateTimeOffset>(5), trigger, reader.GetFieldValue<DateTimeOffset>(13), Text(reader, 12)));
        }

        return runs;
    }

    private static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
