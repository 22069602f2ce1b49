namespace ProductEvents.Storage.EventLog;

/// <summary>The statements on <c>contact_aliases</c> (deploy/sql/V010): which contact each anonymous visitor key belongs to.</summary>
internal static class ContactAliasSql
{
    /// <summary>The (app, key, user) claims of events that carry both ids, first claim of a key first.</summary>
    public static List<(string AppId, string UserKey, string UserId)> Of(IEnumerable<ProductEventRecord> events) =>
        events.Where(e => e.UserId is not null && e.UserKey is not null)
            .Select(e => (e.AppId, e.UserKey!, e.UserId!))
            .DistinctBy(a => (a.AppId, a.Item2))
            .ToList();

    /// <summary>Claims the keys; a key that already belongs to a contact keeps it.</summary>
    public static async Task InsertAsync(NpgsqlConnection connection, IReadOnlyList<(string AppId, string UserKey, string UserId)> aliases, CancellationToken cancellationToken)
    {
        if (aliases.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand(
            """
            INSERT INTO contact_aliases (app_id, user_key, user_id)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
            ON CONFLICT (app_id, user_key) DO NOTHING
            """,
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = aliases.Select(a => a.AppId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = aliases.Select(a => a.UserKey).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = aliases.Select(a => a.UserId).ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<IReadOnlyDictionary<string, string>> ResolveAsync(
        NpgsqlConnection connection, string appId, IReadOnlyCollection<string> userKeys, CancellationToken cancellationToken)
    {
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        if (userKeys.Count == 0)
        {
            return owners;
        }

        await using var command = new NpgsqlCommand(
            "SELECT user_key, user_id FROM contact_aliases WHERE app_id = $1 AND user_key = ANY($2)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = appId });
        command.Parameters.Add(new NpgsqlParameter { Value = userKeys.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            owners[reader.GetString(0)] = reader.GetString(1);
        }

        return owners;
    }
}
