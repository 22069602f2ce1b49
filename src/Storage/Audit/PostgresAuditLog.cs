using System.Text;
using System.Text.Json.Nodes;

namespace ProductEvents.Storage.Audit;

/// <summary>The audit log in table <c>audit_log</c> (V028).</summary>
public sealed class PostgresAuditLog(NpgsqlDataSource dataSource, TimeProvider clock) : IAuditLog
{
    private const string InsertSql =
        "INSERT INTO audit_log (at, actor, action, app_id, subject, details) VALUES ($1, $2, $3, $4, $5, $6::jsonb)";

    public async Task WriteAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(InsertSql);
        AddInsertParameters(command, entry, clock.GetUtcNow());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Records the entry in the caller's transaction, so that a change and its entry commit together.</summary>
    public static async Task WriteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, AuditEntry entry, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(InsertSql, connection, transaction);
        AddInsertParameters(command, entry, at);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AuditRecord>> ListAsync(AuditQuery query, int limit, CancellationToken cancellationToken = default)
    {
        var sql = new StringBuilder("SELECT id, at, actor, action, app_id, subject, details::text FROM audit_log WHERE true");
        await using var command = dataSource.CreateCommand();
        void Filter(string condition, NpgsqlParameter parameter)
        {
            command.Parameters.Add(parameter);
            sql.Append(" AND ").Append(condition.Replace("@", "$" + command.Parameters.Count, StringComparison.Ordinal));
        }

        if (query.AppId is { } appId)
        {
            Filter("app_id = @", new NpgsqlParameter<string> { TypedValue = appId });
        }

        if (query.Action is { } action)
        {
            Filter("action = @", new NpgsqlParameter<string> { TypedValue = action });
        }

        if (query.Since is { } since)
        {
            Filter("at >= @", new NpgsqlParameter<DateTimeOffset> { TypedValue = since.ToUniversalTime() });
        }

        if (query.Until is { } until)
        {
            Filter("at < @", new NpgsqlParameter<DateTimeOffset> { TypedValue = until.ToUniversalTime() });
        }

        if (query.Before is { } before)
        {
            Filter("id < @", new NpgsqlParameter<long> { TypedValue = before });
        }

        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        sql.Append(" ORDER BY id DESC LIMIT $").Append(command.Parameters.Count);
        command.CommandText = sql.ToString();

        var records = new List<AuditRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(new AuditRecord(
                reader.GetInt64(0),
                reader.GetFieldValue<DateTimeOffset>(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : JsonNode.Parse(reader.GetString(6))?.AsObject()));
        }

        return records;
    }

    private static void AddInsertParameters(NpgsqlCommand command, AuditEntry entry, DateTimeOffset at)
    {
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = at.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = entry.Actor });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = entry.Action });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)entry.AppId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)entry.Subject ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)entry.Details?.ToJsonString() ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
    }
}
