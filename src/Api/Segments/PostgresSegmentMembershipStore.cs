using Npgsql;
using ProductEvents.Abstractions;
using ProductEvents.Abstractions.Segments;
using ProductEvents.Api.EventLog;

namespace ProductEvents.Api.Segments;

/// <summary>Durable memberships: one statement per batch of changes writes both the members and the change feed.</summary>
public sealed class PostgresSegmentMembershipStore(NpgsqlDataSource dataSource) : ISegmentMembershipStore
{
    public async Task ApplyAsync(string appId, string segmentId, IReadOnlyList<MembershipChange> changes, CancellationToken cancellationToken = default)
    {
        if (changes.Count == 0)
        {
            return;
        }

        // Within one batch a contact may join and leave: apply them in order, one contact's changes after another's.
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var change in changes)
        {
            await using var command = new NpgsqlCommand(change.IsMember ? JoinSql : LeaveSql, connection, transaction);
            command.Parameters.Add(new NpgsqlParameter { Value = appId });
            command.Parameters.Add(new NpgsqlParameter { Value = segmentId });
            command.Parameters.Add(new NpgsqlParameter { Value = ContactKeys.Of(change.Contact) });
            command.Parameters.Add(new NpgsqlParameter { Value = change.At });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
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
            SELECT number, contact_key, joined, at FROM segment_changes
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
            changes.Add(new SegmentChange(reader.GetInt64(0), ContactKeys.Parse(reader.GetString(1)), reader.GetBoolean(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return changes;
    }

    public async Task DeleteSegmentAsync(string appId, string segmentId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "DELETE FROM segment_members WHERE app_id = $1 AND segment_id = $2; DELETE FROM segment_changes WHERE app_id = $1 AND segment_id = $2",
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = appId });
        command.Parameters.Add(new NpgsqlParameter { Value = segmentId });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private const string JoinSql =
        """
        WITH added AS (
            INSERT INTO segment_members (app_id, segment_id, contact_key, since) VALUES ($1, $2, $3, $4)
            ON CONFLICT DO NOTHING RETURNING 1)
        INSERT INTO segment_changes (app_id, segment_id, contact_key, joined, at) SELECT $1, $2, $3, true, $4 FROM added
        """;

    private const string LeaveSql =
        """
        WITH removed AS (
            DELETE FROM segment_members WHERE app_id = $1 AND segment_id = $2 AND contact_key = $3 RETURNING 1)
        INSERT INTO segment_changes (app_id, segment_id, contact_key, joined, at) SELECT $1, $2, $3, false, $4 FROM removed
        """;

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await dataSource.OpenConnectionAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw new EventLogUnavailableException("PostgreSQL could not be reached for segment memberships.", ex);
        }
    }
}
