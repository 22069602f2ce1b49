using System.Collections.Concurrent;

namespace ProductEvents.Storage.Numbers;

/// <summary>
/// Numbers in table <c>entity_numbers</c> (deploy/sql/V025), from one identity. A number once read is cached: it never
/// changes, so every silo may keep it.
/// </summary>
public sealed class PostgresEntityNumbers(NpgsqlDataSource dataSource) : IEntityNumbers
{
    /// <summary>Cached pairs at most; the cache starts over when full (a miss costs one query).</summary>
    public const int CacheCapacity = 200_000;

    private readonly ConcurrentDictionary<(string AppId, NumberedKey Key), long> _numbers = new();
    private readonly ConcurrentDictionary<long, (string AppId, NumberedKey Key)> _keys = new();

    public async Task<long[]> GetOrAssignAsync(string appId, IReadOnlyList<NumberedKey> keys, CancellationToken cancellationToken = default)
    {
        var numbers = new long[keys.Count];
        var missing = new HashSet<NumberedKey>();
        for (var i = 0; i < keys.Count; i++)
        {
            if (!_numbers.TryGetValue((appId, keys[i]), out numbers[i]))
            {
                missing.Add(keys[i]);
            }
        }

        if (missing.Count == 0)
        {
            return numbers;
        }

        var found = await AssignAsync(appId, missing, cancellationToken);
        for (var i = 0; i < keys.Count; i++)
        {
            if (numbers[i] == 0)
            {
                numbers[i] = found[keys[i]];
            }
        }

        return numbers;
    }

    public async Task<NumberedKey?> FindAsync(string appId, long number, CancellationToken cancellationToken = default)
    {
        if (_keys.TryGetValue(number, out var cached))
        {
            return cached.AppId == appId ? cached.Key : null;
        }

        await using var command = dataSource.CreateCommand("SELECT app_id, kind, key FROM entity_numbers WHERE number = $1");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = number });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var key = new NumberedKey(reader.GetString(1), reader.GetString(2));
        Remember(reader.GetString(0), key, number);
        return reader.GetString(0) == appId ? key : null;
    }

    public async Task<long?> FindNumberAsync(string appId, NumberedKey key, CancellationToken cancellationToken = default)
    {
        if (_numbers.TryGetValue((appId, key), out var cached))
        {
            return cached;
        }

        await using var command = dataSource.CreateCommand("SELECT number FROM entity_numbers WHERE app_id = $1 AND kind = $2 AND key = $3");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = appId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.Kind });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.Key });
        return await command.ExecuteScalarAsync(cancellationToken) is long number ? number : null;
    }

    public async Task ForgetAsync(string appId, IReadOnlyList<NumberedKey> keys, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            DELETE FROM entity_numbers e USING unnest($2::text[], $3::text[]) AS k(kind, key)
            WHERE e.app_id = $1 AND e.kind = k.kind AND e.key = k.key
            """);
        AddParameters(command, appId, keys);
        await command.ExecuteNonQueryAsync(cancellationToken);
        foreach (var key in keys)
        {
            if (_numbers.TryRemove((appId, key), out var number))
            {
                _keys.TryRemove(number, out _);
            }
        }
    }

    /// <summary>
    /// Reads the keys' numbers and inserts the ones missing, in one statement (in key order, so two silos numbering the
    /// same keys wait for each other, never deadlock). A key another transaction numbered while the statement waited
    /// for it is not in the statement's snapshot: a second statement reads it.
    /// </summary>
    private async Task<Dictionary<NumberedKey, long>> AssignAsync(string appId, HashSet<NumberedKey> keys, CancellationToken cancellationToken)
    {
        var found = new Dictionary<NumberedKey, long>();
        await using (var command = dataSource.CreateCommand(
            """
            WITH input AS (SELECT * FROM unnest($2::text[], $3::text[]) AS k(kind, key)),
                 existing AS (
                     SELECT e.kind, e.key, e.number FROM entity_numbers e
                     JOIN input i ON e.app_id = $1 AND e.kind = i.kind AND e.key = i.key),
                 added AS (
                     INSERT INTO entity_numbers (app_id, kind, key)
                     SELECT $1, i.kind, i.key FROM input i
                     WHERE NOT EXISTS (SELECT 1 FROM existing x WHERE x.kind = i.kind AND x.key = i.key)
                     ORDER BY i.kind, i.key
                     ON CONFLICT (app_id, kind, key) DO NOTHING
                     RETURNING kind, key, number)
            SELECT kind, key, number FROM existing
            UNION ALL
            SELECT kind, key, number FROM added
            """))
        {
            AddParameters(command, appId, keys);
            await ReadAsync(command, appId, found, cancellationToken);
        }

        var unread = keys.Where(k => !found.ContainsKey(k)).ToHashSet();
        if (unread.Count > 0)
        {
            await using var command = dataSource.CreateCommand(
                """
                SELECT e.kind, e.key, e.number FROM unnest($2::text[], $3::text[]) AS k(kind, key)
                JOIN entity_numbers e ON e.app_id = $1 AND e.kind = k.kind AND e.key = k.key
                """);
            AddParameters(command, appId, unread);
            await ReadAsync(command, appId, found, cancellationToken);
        }

        var lost = keys.FirstOrDefault(k => !found.ContainsKey(k));
        return lost == default
            ? found
            : throw new InvalidOperationException($"No number could be read for {lost.Kind} '{lost.Key}' of app '{appId}'.");
    }

    private static void AddParameters(NpgsqlCommand command, string appId, IReadOnlyCollection<NumberedKey> keys)
    {
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = appId });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = keys.Select(k => k.Kind).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = keys.Select(k => k.Key).ToArray() });
    }

    private async Task ReadAsync(NpgsqlCommand command, string appId, Dictionary<NumberedKey, long> found, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var key = new NumberedKey(reader.GetString(0), reader.GetString(1));
            var number = reader.GetInt64(2);
            found[key] = number;
            Remember(appId, key, number);
        }
    }

    private void Remember(string appId, NumberedKey key, long number)
    {
        if (_numbers.Count >= CacheCapacity)
        {
            _numbers.Clear();
            _keys.Clear();
        }

        _numbers[(appId, key)] = number;
        _keys[number] = (appId, key);
    }
}
