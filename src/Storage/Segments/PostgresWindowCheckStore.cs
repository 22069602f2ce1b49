using ProductEvents.Abstractions.Segments;
using ProductEvents.Storage.Common;

namespace ProductEvents.Storage.Segments;

/// <summary>
/// Window checks in table <c>segment_window_checks</c>. Contacts writing at the same moment share one statement
/// (<see cref="WriteBatcher{T}"/>), committed as every other write (the disk flush included); a claim leases due rows
/// with SKIP LOCKED (<see cref="LeasedClaims"/>).
/// </summary>
public sealed class PostgresWindowCheckStore : IWindowCheckStore, IAsyncDisposable
{
    /// <summary>Contacts per statement at most.</summary>
    public const int MaxRowsPerWrite = 5_000;

    private const string Columns = "app_id, contact_key, due_at";

    private static readonly string ClaimSql = LeasedClaims.Sql("segment_window_checks", Columns);

    private readonly NpgsqlDataSource _dataSource;
    private readonly WriteBatcher<Write> _writes;

    public PostgresWindowCheckStore(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
        _writes = new WriteBatcher<Write>(WriteBatchAsync, MaxRowsPerWrite);
    }

    public Task WriteAsync(string appId, ContactRef contact, DateTimeOffset? dueAt) =>
        _writes.WriteAsync([new Write(appId, ContactKeys.Of(contact), dueAt?.ToUniversalTime())]);

    public async Task<IReadOnlyList<WindowCheck>> ClaimDueAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(ClaimSql);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = leaseUntil.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var checks = new List<WindowCheck>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            checks.Add(new WindowCheck(reader.GetString(0), ContactKeys.Parse(reader.GetString(1)), reader.GetFieldValue<DateTimeOffset>(2)));
        }

        return checks;
    }

    public async Task CompleteAsync(IReadOnlyList<WindowCheck> checks, CancellationToken cancellationToken = default)
    {
        if (checks.Count == 0)
        {
            return;
        }

        await using var command = _dataSource.CreateCommand(
            """
            DELETE FROM segment_window_checks w
            USING unnest($1::text[], $2::text[], $3::timestamptz[]) AS c(app_id, contact_key, due_at)
            WHERE w.app_id = c.app_id AND w.contact_key = c.contact_key AND w.due_at = c.due_at
            """);
        command.AddArray(checks.Select(c => c.AppId));
        command.AddArray(checks.Select(c => ContactKeys.Of(c.Contact)));
        command.AddArray(checks.Select(c => c.DueAt.ToUniversalTime()));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => _writes.DisposeAsync();

    /// <summary>
    /// Sets and removals in one statement. A contact written twice in one batch keeps its last write: an upsert may not
    /// touch the same row twice, and the removals must not meet the rows the upsert writes.
    /// </summary>
    private async Task WriteBatchAsync(IReadOnlyList<Write> writes, CancellationToken cancellationToken)
    {
        var last = new Dictionary<(string, string), Write>();
        foreach (var write in writes)
        {
            last[(write.AppId, write.ContactKey)] = write;
        }

        // A new due time also ends any lease on the row: a contact re-evaluated by a scheduler writes its next check
        // before that scheduler completes, and the new check must be claimable when it is due, not when the lease ends.
        await using var command = _dataSource.CreateCommand(
            """
            WITH written AS (SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS w(app_id, contact_key, due_at)),
            removed AS (
                DELETE FROM segment_window_checks c USING written w
                WHERE w.due_at IS NULL AND c.app_id = w.app_id AND c.contact_key = w.contact_key)
            INSERT INTO segment_window_checks (app_id, contact_key, due_at)
            SELECT app_id, contact_key, due_at FROM written WHERE due_at IS NOT NULL
            ON CONFLICT (app_id, contact_key) DO UPDATE SET due_at = EXCLUDED.due_at, lease_until = NULL
            """);
        command.AddArray(last.Values.Select(w => w.AppId));
        command.AddArray(last.Values.Select(w => w.ContactKey));
        command.AddArray(last.Values.Select(w => w.DueAt));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private sealed record Write(string AppId, string ContactKey, DateTimeOffset? DueAt);
}
