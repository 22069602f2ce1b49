using ProductEvents.Abstractions.Segments;
using ProductEvents.Storage.Common;
using ProductEvents.Storage.EventLog;

namespace ProductEvents.Storage.Segments;

/// <summary>
/// Durable memberships: one statement per batch of changes writes both the members and the change feed. The batches of
/// all segments that write at the same moment share one round trip and one commit (<see cref="WriteBatcher{T}"/>):
/// twenty segments busy at once cost one WAL flush, not twenty queued behind each other and behind the log's commits.
/// </summary>
public sealed class PostgresSegmentMembershipStore : ISegmentMembershipStore, IAsyncDisposable
{
    /// <summary>Segment batches per shared write at most.</summary>
    public const int MaxBatchesPerWrite = 64;

    /// <summary>Contacts whose memberships one statement reads at most.</summary>
    public const int MaxContactsPerRead = 256;

    private readonly NpgsqlDataSource _dataSource;
    private readonly WriteBatcher<SegmentBatch> _writes;
    private readonly Coalescer<(string AppId, string ContactKey), IReadOnlyDictionary<string, DateTimeOffset>> _segmentsOf;

    public PostgresSegmentMembershipStore(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
        _writes = new WriteBatcher<SegmentBatch>(WriteAsync, MaxBatchesPerWrite);
        _segmentsOf = new(ReadSegmentsOfAsync, MaxContactsPerRead, concurrency: 2);
    }

    /// <remarks>Contacts asking at the same moment (the recovery after a start) share one statement.</remarks>
    public Task<IReadOnlyDictionary<string, DateTimeOffset>> SegmentsOfAsync(string appId, ContactRef contact, CancellationToken cancellationToken = default) =>
        _segmentsOf.RunAsync((appId, ContactKeys.Of(contact)));

    public Task ApplyAsync(string appId, string segmentId, IReadOnlyList<MembershipChange> changes, CancellationToken cancellationToken = default) =>
        changes.Count == 0 ? Task.CompletedTask : _writes.WriteAsync([new SegmentBatch(appId, segmentId, changes)]);

    public async ValueTask DisposeAsync()
    {
        await _writes.DisposeAsync();
        await _segmentsOf.DisposeAsync();
    }

    private async Task<IReadOnlyList<IReadOnlyDictionary<string, DateTimeOffset>>> ReadSegmentsOfAsync(
        IReadOnlyList<(string AppId, string ContactKey)> contacts, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            """
            SELECT k.i, m.segment_id, m.since FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(app_id, contact_key, i)
            JOIN segment_members m ON m.app_id = k.app_id AND m.contact_key = k.contact_key
            """,
            connection);
        command.AddArray(contacts.Select(c => c.AppId));
        command.AddArray(contacts.Select(c => c.ContactKey));
        var rows = await command.ReadPerRequestAsync(
            contacts.Count, reader => (SegmentId: reader.GetString(1), Since: reader.GetFieldValue<DateTimeOffset>(2)), cancellationToken);
        return [.. rows.Select(r => (IReadOnlyDictionary<string, DateTimeOffset>)r.ToDictionary(m => m.SegmentId, m => m.Since, StringComparer.Ordinal))];
    }

    /// <summary>
    /// One set-based statement per run instead of one per change (a contact that changed more than once within a batch
    /// starts a new run, see <see cref="MembershipRuns"/>); all of them sent together, in one implicit transaction.
    /// </summary>
    private async Task WriteAsync(IReadOnlyList<SegmentBatch> batches, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        foreach (var (appId, segmentId, changes) in batches)
        {
            foreach (var run in MembershipRuns.Split(changes))
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(ApplyRunSql)
                {
                    Parameters =
                    {
                        new NpgsqlParameter { Value = appId },
                        new NpgsqlParameter { Value = segmentId },
                        new NpgsqlParameter { Value = run.Select(c => c.ContactKey).ToArray() },
                        new NpgsqlParameter { Value = run.Select(c => c.Change.IsMember).ToArray() },
                        new NpgsqlParameter { Value = run.Select(c => c.Change.At).ToArray() },
                    },
                });
            }
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<SegmentMember>> ListAsync(string appId, string segmentId, string? afterContactKey, int limit, CancellationToken cancellationToken = default)
    {
        var members = new List<SegmentMember>(Math.Min(limit, 1024));
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT contact_key, since FROM segment_members WHERE app_id = $1 AND segment_id = $2 AND contact_key > $3 ORDER BY contact_key LIMIT $4",
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = appId });
        command.Parameters.Add(new NpgsqlParameter { Value = segmentId });
        command.Parameters.Add(new NpgsqlParameter { Value = afterContactKey ?? "" });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            members.Add(new SegmentMember(ContactKeys.Parse(reader.GetString(0)), reader.GetFieldValue<DateTimeOffset>(1)));
        }

        return members;
    }

    public async Task<SegmentMember?> GetAsync(string appId, string segmentId, ContactRef contact, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT since FROM segment_members WHERE app_id = $1 AND segment_id = $2 AND contact_key = $3", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = appId });
        command.Parameters.Add(new NpgsqlParameter { Value = segmentId });
        command.Parameters.Add(new NpgsqlParameter { Value = ContactKeys.Of(contact) });
        return await command.ExecuteScalarAsync(cancellationToken) is DateTime since
            ? new SegmentMember(contact, new DateTimeOffset(DateTime.SpecifyKind(since, DateTimeKind.Utc)))
            : null;
    }

    public async Task<long> CountAsync(string appId, string segmentId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM segment_members WHERE app_id = $1 AND segment_id = $2", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = appId });
        command.Parameters.Add(new NpgsqlParameter { Value = segmentId });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<IReadOnlyList<SegmentChange>> ChangesAsync(string appId, string segmentId, DateTimeOffset? since, long afterNumber, int limit, CancellationToken cancellationToken = default)
    {
        var changes = new List<SegmentChange>(Math.Min(limit, 1024));
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            """
            SELECT number, contact_key, joined, at, erased FROM segment_changes
            WHERE app_id = $1 AND segment_id = $2 AND number > $3 AND at >= $4
            ORDER BY number LIMIT $5
            """,
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = appId });
        command.Parameters.Add(new NpgsqlParameter { Value = segmentId });
        command.Parameters.Add(new NpgsqlParameter { Value = afterNumber });
        command.Parameters.Add(new NpgsqlParameter { Value = since ?? DateTimeOffset.UnixEpoch });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            changes.Add(new SegmentChange(
                reader.GetInt64(0), ContactKeys.Parse(reader.GetString(1)), reader.GetBoolean(2), reader.GetFieldValue<DateTimeOffset>(3), reader.GetBoolean(4)));
        }

        return changes;
    }

    public async Task DeleteSegmentAsync(string appId, string segmentId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);

        // One statement: a command with positional parameters may not hold two.
        await using var command = new NpgsqlCommand(
            """
            WITH members AS (DELETE FROM segment_members WHERE app_id = $1 AND segment_id = $2)
            DELETE FROM segment_changes WHERE app_id = $1 AND segment_id = $2
            """,
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = appId });
        command.Parameters.Add(new NpgsqlParameter { Value = segmentId });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<int> EraseContactsAsync(string appId, IReadOnlyList<ContactRef> contacts, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);

        // One statement: every part sees the rows as they were before it, so the leaves it records are not deleted with
        // the earlier changes (an erased leave recorded by an earlier erasure of the same user id stays).
        await using var command = new NpgsqlCommand(
            """
            WITH removed AS (
                DELETE FROM segment_members m WHERE m.app_id = $1 AND m.contact_key = ANY($2) RETURNING m.segment_id, m.contact_key),
            history AS (
                DELETE FROM segment_changes c WHERE c.app_id = $1 AND c.contact_key = ANY($2) AND NOT c.erased)
            INSERT INTO segment_changes (app_id, segment_id, contact_key, joined, at, erased)
            SELECT $1, segment_id, contact_key, false, $3, true FROM removed ORDER BY segment_id, contact_key
            """,
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = appId });
        command.Parameters.Add(new NpgsqlParameter { Value = contacts.Select(ContactKeys.Of).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = at });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<(string SegmentId, SegmentChange Change)>> ChangesOfAsync(string appId, ContactRef contact, int limit, CancellationToken cancellationToken = default)
    {
        var changes = new List<(string, SegmentChange)>();
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT segment_id, number, joined, at, erased FROM segment_changes WHERE app_id = $1 AND contact_key = $2 ORDER BY number LIMIT $3",
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = appId });
        command.Parameters.Add(new NpgsqlParameter { Value = ContactKeys.Of(contact) });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            changes.Add((reader.GetString(0), new SegmentChange(reader.GetInt64(1), contact, reader.GetBoolean(2), reader.GetFieldValue<DateTimeOffset>(3), reader.GetBoolean(4))));
        }

        return changes;
    }

    /// <summary>
    /// One run (each contact at most once): joins insert, leaves delete, and only what actually changed is recorded
    /// in the change feed, numbered in the order the changes arrived.
    /// </summary>
    private const string ApplyRunSql =
        """
        WITH input AS (
            SELECT contact_key, joined, at, ord FROM unnest($3::text[], $4::boolean[], $5::timestamptz[]) WITH ORDINALITY AS t(contact_key, joined, at, ord)),
        added AS (
            INSERT INTO segment_members (app_id, segment_id, contact_key, since)
            SELECT $1, $2, contact_key, at FROM input WHERE joined
            ON CONFLICT DO NOTHING RETURNING contact_key),
        removed AS (
            DELETE FROM segment_members m USING input i
            WHERE m.app_id = $1 AND m.segment_id = $2 AND m.contact_key = i.contact_key AND NOT i.joined
            RETURNING m.contact_key)
        INSERT INTO segment_changes (app_id, segment_id, contact_key, joined, at)
        SELECT $1, $2, i.contact_key, i.joined, i.at FROM input i
        WHERE (i.joined AND i.contact_key IN (SELECT contact_key FROM added))
           OR (NOT i.joined AND i.contact_key IN (SELECT contact_key FROM removed))
        ORDER BY i.ord
        """;

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _dataSource.OpenConnectionAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw new EventLogUnavailableException("PostgreSQL could not be reached for segment memberships.", ex);
        }
    }

    private sealed record SegmentBatch(string AppId, string SegmentId, IReadOnlyList<MembershipChange> Changes);
}
