using System.Runtime.CompilerServices;
using ProductEvents.Storage.Common;

namespace ProductEvents.Storage.EventLog;

/// <summary>
/// Replays: the entries of a product or a contact after a log position, and a contact's merged visitors. Grains loading
/// at the same moment (a build, the recovery after a start, traffic after a restart) read their histories together: one
/// statement for all keys waiting (<see cref="Coalescer{TRequest, TResult}"/>).
/// </summary>
internal sealed class PostgresLogReplay(NpgsqlDataSource dataSource, PostgresLogOutage outage)
{
    /// <summary>Keys read with one statement at most, and such statements in flight at once.</summary>
    private const int MaxKeysPerRead = 256;
    private const int ReadConcurrency = 4;

    private object? _readsLock;
    private Coalescer<KeyRead, ProductEventRecord[]>? _productReads;
    private Coalescer<KeyRead, ProductEventRecord[]>? _userReads;
    private Coalescer<KeyRead, ProductEventRecord[]>? _visitorReads;
    private Coalescer<(string AppId, string UserId), IReadOnlyList<string>>? _aliasReads;

    public IAsyncEnumerable<ProductEventRecord> ReadProductAsync(string appId, string productId, long afterSeq, CancellationToken cancellationToken) =>
        EntriesAsync(Reads(ref _productReads, "e.product_id = k.key"), new KeyRead(appId, productId, afterSeq), cancellationToken);

    public IAsyncEnumerable<ProductEventRecord> ReadContactAsync(string appId, ContactRef contact, long afterSeq, CancellationToken cancellationToken) =>
        contact.IsAnonymous
            ? EntriesAsync(Reads(ref _visitorReads, "e.user_key = k.key AND e.user_id IS NULL"), new KeyRead(appId, contact.Value, afterSeq), cancellationToken)
            : EntriesAsync(Reads(ref _userReads, "e.user_id = k.key"), new KeyRead(appId, contact.Value, afterSeq), cancellationToken);

    public async Task<IReadOnlyList<string>> ReadAliasedKeysAsync(string appId, string userId, CancellationToken cancellationToken)
    {
        var reads = LazyInitializer.EnsureInitialized(ref _aliasReads, ref _readsLock, () => new(ReadAliasesAsync, MaxKeysPerRead, concurrency: ReadConcurrency));

        // The statement serves every caller waiting with this one: a caller that gives up stops waiting, not the statement.
        return await reads.RunAsync((appId, userId)).WaitAsync(cancellationToken);
    }

    /// <summary>Every app's entries after a position, in log order: what a writer taking over applies again.</summary>
    public Task<IReadOnlyList<ProductEventRecord>> ReadAfterAsync(long afterSeq, int limit, CancellationToken cancellationToken) =>
        outage.RunAsync(PostgresLogOutage.Read, async () =>
        {
            await using var command = dataSource.CreateCommand($"SELECT {PostgresLogRows.Columns} FROM product_events WHERE seq > $1 ORDER BY seq LIMIT $2");
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = afterSeq });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
            var entries = new List<ProductEventRecord>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                entries.Add(PostgresLogRows.ReadRecord(reader, 0));
            }

            return (IReadOnlyList<ProductEventRecord>)entries;
        });

    /// <summary>
    /// The newest position first, then the app's entries up to it: every position below a committed one was committed
    /// before it (one writer commits at a time, in position order), so none of them is missed.
    /// </summary>
    public Task<AppEntries> ReadAppAfterAsync(string appId, long afterSeq, int limit, CancellationToken cancellationToken) =>
        outage.RunAsync(PostgresLogOutage.Read, async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var newest = new NpgsqlCommand("SELECT coalesce(max(seq), 0) FROM product_events", connection);
            var through = (long)(await newest.ExecuteScalarAsync(cancellationToken))!;
            await using var command = new NpgsqlCommand(
                $"SELECT {PostgresLogRows.Columns} FROM product_events WHERE app_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq LIMIT $4", connection);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = appId });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = afterSeq });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = through });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
            var entries = new List<ProductEventRecord>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                entries.Add(PostgresLogRows.ReadRecord(reader, 0));
            }

            return new AppEntries(entries, entries.Count == limit ? entries[^1].Seq : Math.Max(through, afterSeq));
        });

    private Coalescer<KeyRead, ProductEventRecord[]> Reads(ref Coalescer<KeyRead, ProductEventRecord[]>? reads, string keyCondition) =>
        LazyInitializer.EnsureInitialized(ref reads, ref _readsLock, () => new((batch, ct) => ReadKeysAsync(keyCondition, batch, ct), MaxKeysPerRead, concurrency: ReadConcurrency));

    private static async IAsyncEnumerable<ProductEventRecord> EntriesAsync(
        Coalescer<KeyRead, ProductEventRecord[]> reads, KeyRead read, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var entry in await reads.RunAsync(read).WaitAsync(cancellationToken))
        {
            yield return entry;
        }
    }

    /// <summary>The entries after each key's position, in log order per key: one statement for the whole batch.</summary>
    private async Task<IReadOnlyList<ProductEventRecord[]>> ReadKeysAsync(string keyCondition, IReadOnlyList<KeyRead> reads, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT k.i, e.* FROM unnest($1::text[], $2::text[], $3::bigint[]) WITH ORDINALITY AS k(app_id, key, after_seq, i)
            CROSS JOIN LATERAL (SELECT {PostgresLogRows.Columns} FROM product_events e WHERE e.app_id = k.app_id AND {keyCondition} AND e.seq > k.after_seq) e
            ORDER BY k.i, e.seq
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = reads.Select(r => r.AppId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = reads.Select(r => r.Key).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = reads.Select(r => r.AfterSeq).ToArray() });
        return await outage.RunAsync(PostgresLogOutage.Read, async () =>
        {
            var entries = await command.ReadPerRequestAsync(reads.Count, reader => PostgresLogRows.ReadRecord(reader, 1), cancellationToken);
            return entries.Select(e => e.ToArray()).ToArray();
        });
    }

    private async Task<IReadOnlyList<IReadOnlyList<string>>> ReadAliasesAsync(IReadOnlyList<(string AppId, string UserId)> users, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT k.i, a.user_key FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(app_id, user_id, i)
            JOIN contact_aliases a ON a.app_id = k.app_id AND a.user_id = k.user_id
            ORDER BY k.i, a.created_at, a.user_key
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = users.Select(u => u.AppId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = users.Select(u => u.UserId).ToArray() });
        return await outage.RunAsync(PostgresLogOutage.Read, async () =>
        {
            var keys = await command.ReadPerRequestAsync(users.Count, reader => reader.GetString(1), cancellationToken);
            return keys.Select(k => (IReadOnlyList<string>)k).ToArray();
        });
    }

    private readonly record struct KeyRead(string AppId, string Key, long AfterSeq);
}
