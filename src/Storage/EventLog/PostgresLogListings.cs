using System.Runtime.CompilerServices;
using System.Text;
using ProductEvents.Abstractions.Segments;
using ProductEvents.Storage.Common;

namespace ProductEvents.Storage.EventLog;

/// <summary>Listings and counts over the log: the contacts of an app or a product, the newest contacts, event queries.</summary>
internal sealed class PostgresLogListings(NpgsqlDataSource dataSource, PostgresLogOutage outage)
{
    public async Task<IReadOnlyList<ContactRef>> ListContactsAsync(string appId, string? afterContactKey, int limit, CancellationToken cancellationToken = default)
    {
        // Visitors ("k/...") sort before users ("u/..."): walk the visitors' index, then the users', each with a skip scan
        // (one index probe per distinct contact, not a read of every event).
        var contacts = new List<ContactRef>(limit);
        ContactRef? after = afterContactKey is null ? null : ContactKeys.Parse(afterContactKey);
        if (after is null || after.Value.IsAnonymous)
        {
            await ReadDistinctAsync(appId, "user_key", "user_id IS NULL AND ", after?.Value ?? "", limit, ContactRef.Visitor, contacts, cancellationToken);
        }

        if (contacts.Count < limit)
        {
            var afterUser = after is { IsAnonymous: false } user ? user.Value : "";
            await ReadDistinctAsync(appId, "user_id", "", afterUser, limit - contacts.Count, ContactRef.User, contacts, cancellationToken);
        }

        return contacts;
    }

    public async Task<long> CountContactsAsync(string appId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT count(DISTINCT coalesce('u/' || user_id, 'k/' || user_key)) FROM product_events WHERE app_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = appId });
        return await outage.RunAsync(PostgresLogOutage.Read, async () => (long)(await command.ExecuteScalarAsync(cancellationToken))!);
    }

    public async Task<IReadOnlyList<ContactRef>> ListContactsOfProductAsync(string appId, string productId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT DISTINCT user_id, user_key FROM product_events WHERE app_id = $1 AND product_id = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = appId });
        command.Parameters.Add(new NpgsqlParameter { Value = productId });
        return await outage.RunAsync(PostgresLogOutage.Read, async () =>
        {
            var contacts = new HashSet<ContactRef>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                contacts.Add(ContactRef.From(reader.IsDBNull(0) ? null : reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
            }

            return (IReadOnlyList<ContactRef>)[.. contacts];
        });
    }

    public async Task<IReadOnlyList<(string AppId, ContactRef Contact)>> ListRecentContactsAsync(TimeSpan window, int maxEntries, CancellationToken cancellationToken = default)
    {
        // The newest entries by log position (the primary key), then only those within the window of the newest.
        await using var command = dataSource.CreateCommand(
            """
            WITH newest AS (SELECT * FROM product_events ORDER BY seq DESC LIMIT $1)
            SELECT DISTINCT app_id, user_id, user_key FROM newest
            WHERE received_at >= (SELECT max(received_at) FROM newest) - $2
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = maxEntries });
        command.Parameters.Add(new NpgsqlParameter { Value = window });
        return await outage.RunAsync(PostgresLogOutage.Read, async () =>
        {
            var contacts = new List<(string, ContactRef)>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                contacts.Add((reader.GetString(0), ContactRef.From(reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2))));
            }

            return (IReadOnlyList<(string, ContactRef)>)contacts;
        });
    }

    public async Task<EventPage> QueryAsync(EventQuery query, CancellationToken cancellationToken = default)
    {
        var sql = new StringBuilder($"SELECT {PostgresLogRows.Columns} FROM product_events WHERE app_id = $1");
        var parameters = new List<object> { query.AppId };
        AppendFilters(sql, parameters, query);
        sql.Append(" ORDER BY occurred_at DESC, seq DESC LIMIT ").Append(query.Limit + 1);
        var results = new List<ProductEventRecord>(Math.Min(query.Limit + 1, 128));
        await foreach (var e in ReadAsync(sql.ToString(), [.. parameters], cancellationToken))
        {
            results.Add(e);
        }

        EventCursor? next = null;
        if (results.Count > query.Limit)
        {
            results.RemoveAt(results.Count - 1);
            next = new EventCursor(results[^1].Timestamp, results[^1].Seq);
        }

        return new EventPage(results, next);
    }

    public async Task<long> CountAsync(EventQuery query, CancellationToken cancellationToken = default)
    {
        var sql = new StringBuilder("SELECT count(*) FROM product_events WHERE app_id = $1");
        var parameters = new List<object> { query.AppId };
        AppendFilters(sql, parameters, query with { After = null });
        await using var command = dataSource.Command(sql.ToString(), [.. parameters]);
        return await outage.RunAsync(PostgresLogOutage.Read, async () => (long)(await command.ExecuteScalarAsync(cancellationToken))!);
    }

    private static void AppendFilters(StringBuilder sql, List<object> parameters, EventQuery query)
    {
        string Param(object value)
        {
            parameters.Add(value);
            return "$" + parameters.Count;
        }

        if (query.ProductId is not null)
        {
            sql.Append(" AND product_id = ").Append(Param(query.ProductId));
        }

        if (query.UserId is not null)
        {
            // A contact's events include those of the anonymous visitors merged into it.
            var user = Param(query.UserId);
            sql.Append(" AND (user_id = ").Append(user)
                .Append(" OR (user_id IS NULL AND user_key IN (SELECT a.user_key FROM contact_aliases a WHERE a.app_id = $1 AND a.user_id = ")
                .Append(user).Append(")))");
        }

        if (query.UserKey is not null)
        {
            sql.Append(" AND user_key = ").Append(Param(query.UserKey));
        }

        if (query.Type is { } type)
        {
            sql.Append(" AND event_type = ").Append(Param((short)type));
        }

        if (query.Since is { } since)
        {
            sql.Append(" AND occurred_at >= ").Append(Param(since));
        }

        if (query.Until is { } until)
        {
            sql.Append(" AND occurred_at < ").Append(Param(until));
        }

        if (query.After is { } after)
        {
            sql.Append(" AND (occurred_at, seq) < (").Append(Param(after.Timestamp)).Append(", ").Append(Param(after.Seq)).Append(')');
        }
    }

    private async Task ReadDistinctAsync(
        string appId, string column, string condition, string after, int limit, Func<string, ContactRef> create, List<ContactRef> into, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            WITH RECURSIVE walk(value) AS (
                (SELECT {column} FROM product_events WHERE app_id = $1 AND {condition}{column} > $2 ORDER BY {column} LIMIT 1)
                UNION ALL
                SELECT (SELECT {column} FROM product_events WHERE app_id = $1 AND {condition}{column} > walk.value ORDER BY {column} LIMIT 1)
                FROM walk WHERE walk.value IS NOT NULL)
            SELECT value FROM walk WHERE value IS NOT NULL LIMIT $3
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = appId });
        command.Parameters.Add(new NpgsqlParameter { Value = after });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        await outage.RunAsync(PostgresLogOutage.Read, async () =>
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                into.Add(create(reader.GetString(0)));
            }

            return true;
        });
    }

    private async IAsyncEnumerable<ProductEventRecord> ReadAsync(string sql, object[] parameters, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = dataSource.Command(sql, parameters);
        await using var reader = await outage.RunAsync(PostgresLogOutage.Read, () => command.ExecuteReaderAsync(cancellationToken));
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return PostgresLogRows.ReadRecord(reader, 0);
        }
    }
}
