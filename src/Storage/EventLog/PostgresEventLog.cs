using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using ProductEvents.Abstractions;
using ProductEvents.Abstractions.Segments;
using ProductEvents.Storage.Common;

namespace ProductEvents.Storage.EventLog;

/// <summary>
/// The durable log: one transaction per group commit that claims the batch's idempotency keys, takes its log
/// positions from a sequence and writes its rows with one binary COPY, while the keys it brings for the first time are
/// registered in <c>log_key_hashes</c>. Listings and replays read the same table.
/// </summary>
public sealed class PostgresEventLog(
    NpgsqlDataSource dataSource, TimeProvider clock, IOptions<EventLogOptions> options, ILogger<PostgresEventLog> logger) : IEventLog
{
    private const string Columns =
        "seq, id, app_id, product_id, event_type, user_id, user_key, name, occurred_at, received_at, event_id, attributes::text, custom_data::text";

    private const string CopyCommand =
        "COPY product_events (seq, id, app_id, product_id, event_type, user_id, user_key, name, occurred_at, received_at, event_id, attributes, custom_data) FROM STDIN (FORMAT BINARY)";

    /// <summary>The sequence's increment (deploy/sql/V004): one nextval reserves this many positions.</summary>
    private const long SeqBlockSize = 1024;

    /// <summary>Keys read with one statement at most, and such statements in flight at once.</summary>
    private const int MaxKeysPerRead = 256;
    private const int ReadConcurrency = 4;

    private readonly SemaphoreSlim _partitionGate = new(1, 1);
    private readonly KnownKeys _knownKeys = new(options.Value.KnownKeysCapacity);
    private object? _readsLock;
    private Coalescer<KeyRead, ProductEventRecord[]>? _productReads;
    private Coalescer<KeyRead, ProductEventRecord[]>? _userReads;
    private Coalescer<KeyRead, ProductEventRecord[]>? _visitorReads;
    private Coalescer<(string AppId, string UserId), IReadOnlyList<string>>? _aliasReads;
    private long _nextSeq;
    private long _seqBlockEnd;
    private DateTimeOffset _partitionsReadyUntil = DateTimeOffset.MinValue;
    private (DateTimeOffset CheckedAt, bool Ready) _readiness;

    public string Describe() => $"PostgreSQL ({dataSource.ConnectionString.Split(';').FirstOrDefault(p => p.StartsWith("Host", StringComparison.OrdinalIgnoreCase)) ?? "configured host"})";

    public async Task<bool> IsReadyAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        if (now - _readiness.CheckedAt < TimeSpan.FromSeconds(1))
        {
            return _readiness.Ready;
        }

        bool ready;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(timeout.Token);
            ready = true;
        }
        catch (Exception ex) when (ex is DbException or OperationCanceledException or TimeoutException)
        {
            ready = false;
        }

        _readiness = (now, ready);
        return ready;
    }

    public async Task<AppendResult> AppendAsync(IReadOnlyList<ProductEventRecord> events, CancellationToken cancellationToken = default)
    {
        try
        {
            await EnsurePartitionsAsync(events, cancellationToken);
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);

            // One COPY is a transaction of its own; idempotency keys and visitor merges must commit with it, and the
            // rows of new keys before it.
            var aliases = ContactAliasSql.Of(events);
            var unknown = _knownKeys.Unknown(events);
            await using var transaction = events.Any(e => e.EventId is not null) || aliases.Count > 0 || unknown.Count > 0
                ? await connection.BeginTransactionAsync(cancellationToken)
                : null;
            var outcomes = new AppendOutcome[events.Count];
            var newKeys = NewKeys.None;
            var fresh = await ClaimEventIdsAsync(connection, events, outcomes, cancellationToken);
            if (fresh.Count < events.Count)
            {
                // Duplicates add no entries: their keys are not registered.
                aliases = ContactAliasSql.Of(fresh.Select(i => events[i]));
                unknown = _knownKeys.Unknown(fresh.Select(i => events[i]));
            }

            if (fresh.Count > 0)
            {
                // The keys' rows commit on a connection of their own while the entries are written, and before the
                // entries commit: whatever fails, every key with entries in the log has its row.
                var registering = unknown.Count > 0 ? RegisterAsync(unknown, aliases, cancellationToken) : Task.FromResult(NewKeys.None);
                try
                {
                    var seqs = await NextSeqsAsync(connection, fresh.Count, cancellationToken);
                    await using (var copy = await connection.BeginBinaryImportAsync(CopyCommand, cancellationToken))
                    {
                        for (var i = 0; i < fresh.Count; i++)
                        {
                            var committed = events[fresh[i]] with { Seq = seqs[i] };
                            await WriteRowAsync(copy, committed, cancellationToken);
                            outcomes[fresh[i]] = AppendOutcome.New(committed);
                        }

                        await copy.CompleteAsync(cancellationToken);
                    }

                    // An event that names both the contact and the visitor key merges that visitor, in the same commit.
                    await ContactAliasSql.InsertAsync(connection, aliases, cancellationToken);
                }
                catch
                {
                    // The registration ends on its own (rows of keys without entries only cost a read); observe it.
                    await registering.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
                    throw;
                }

                newKeys = await registering;
            }

            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken);
            }

            _knownKeys.Remember(unknown);
            return new AppendResult(outcomes, newKeys);
        }
        catch (Exception ex) when (StorageErrors.IsDataError(ex))
        {
            // The server is fine and said so: readiness stays as it is.
            throw new EventLogDataException($"PostgreSQL refused a value of the commit: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or IOException)
        {
            _readiness = (clock.GetUtcNow(), false);
            throw new EventLogUnavailableException("The event log's PostgreSQL could not commit.", ex);
        }
    }

    /// <summary>
    /// Inserts the keys not known to have entries into <c>log_key_hashes</c> (deploy/sql/V024; a statement of its own,
    /// committed when it returns); the keys whose hash it inserted are the commit's new keys. A key sharing its hash with
    /// another key of the statement is not taken for new (it costs its grain a read). A user with merged visitors has
    /// their history without an entry of their own, so is not new: merged before (the statement reads the merges) or
    /// in this commit (<paramref name="aliases"/>, not committed yet).
    /// </summary>
    /// <remarks>
    /// <para>
    /// The insert commits without waiting for its WAL to reach the disk (<c>synchronous_commit</c> off for its own
    /// transaction), which spares each such commit one flush. That keeps the rule: the entries' transaction commits
    /// only after this one returned, so its commit record follows this one's in the WAL, and the flush it waits for
    /// makes this one durable too. If the entries do not commit, a row may be lost with them or kept without them:
    /// either is harmless.
    /// </para>
    /// <para>
    /// Prepared on each pooled connection (planning it cost as much as running it); the rows go in in hash order, so
    /// that commits of several silos inserting the same keys wait for each other, never deadlock.
    /// </para>
    /// </remarks>
    private async Task<NewKeys> RegisterAsync(
        List<(LogKey Key, UInt128 Hash)> unknown, List<(string AppId, string UserKey, string UserId)> aliases, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);

        // A batch runs as one implicit transaction: the setting holds until its commit, and goes with it.
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT set_config('synchronous_commit', 'off', true)"));
        var register = new NpgsqlBatchCommand(
            """
            WITH input AS (
                SELECT app_id, kind, id, key_hash, count(*) OVER (PARTITION BY key_hash) AS sharing
                FROM (SELECT k.*, log_key_hash(k.app_id, k.kind, k.id) AS key_hash
                      FROM unnest($1::text[], $2::text[], $3::text[]) AS k (app_id, kind, id)) k),
            added AS (
                INSERT INTO log_key_hashes (key_hash, app_id)
                SELECT DISTINCT ON (key_hash) key_hash, app_id FROM input ORDER BY key_hash
                ON CONFLICT DO NOTHING
                RETURNING key_hash)
            SELECT i.kind, i.app_id, i.id FROM input i JOIN added a ON a.key_hash = i.key_hash
            WHERE i.sharing = 1
              AND (i.kind <> 'u' OR NOT EXISTS (SELECT 1 FROM contact_aliases c WHERE c.app_id = i.app_id AND c.user_id = i.id))
            """);
        register.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = unknown.Select(k => k.Key.AppId).ToArray() });
        register.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = unknown.Select(k => k.Key.Kind).ToArray() });
        register.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = unknown.Select(k => k.Key.Id).ToArray() });
        batch.BatchCommands.Add(register);
        await batch.PrepareAsync(cancellationToken);

        var mergingUsers = aliases.Select(a => new LogKey("u", a.AppId, a.UserId)).ToHashSet();
        var products = new HashSet<string>(StringComparer.Ordinal);
        var contacts = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var key = new LogKey(reader.GetString(0), reader.GetString(1), reader.GetString(2));
            if (key.Kind == "p")
            {
                products.Add(key.GrainKey);
            }
            else if (!mergingUsers.Contains(key))
            {
                contacts.Add(key.GrainKey);
            }
        }

        return new NewKeys(products, contacts);
    }

    public IAsyncEnumerable<ProductEventRecord> ReadProductAsync(string appId, string productId, long afterSeq, CancellationToken cancellationToken = default) =>
        EntriesAsync(Reads(ref _productReads, "e.product_id = k.key"), new KeyRead(appId, productId, afterSeq));

    /// <remarks>
    /// Grains loading at the same moment (a build, the recovery after a start, traffic after a restart) read their
    /// histories together: one statement for all keys waiting (<see cref="Coalescer{TRequest, TResult}"/>).
    /// </remarks>
    public IAsyncEnumerable<ProductEventRecord> ReadContactAsync(string appId, ContactRef contact, long afterSeq, CancellationToken cancellationToken = default) =>
        contact.IsAnonymous
            ? EntriesAsync(Reads(ref _visitorReads, "e.user_key = k.key AND e.user_id IS NULL"), new KeyRead(appId, contact.Value, afterSeq))
            : EntriesAsync(Reads(ref _userReads, "e.user_id = k.key"), new KeyRead(appId, contact.Value, afterSeq));

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
        return await WithOutageAsync(async () => (long)(await command.ExecuteScalarAsync(cancellationToken))!);
    }

    public async Task<IReadOnlyList<ContactRef>> ListContactsOfProductAsync(string appId, string productId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT DISTINCT user_id, user_key FROM product_events WHERE app_id = $1 AND product_id = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = appId });
        command.Parameters.Add(new NpgsqlParameter { Value = productId });
        return await WithOutageAsync(async () =>
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
        return await WithOutageAsync(async () =>
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
        var sql = new StringBuilder($"SELECT {Columns} FROM product_events WHERE app_id = $1");
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
        try
        {
            await using var command = dataSource.CreateCommand(sql.ToString());
            foreach (var value in parameters)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value });
            }

            return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw new EventLogUnavailableException("The event log's PostgreSQL could not be read.", ex);
        }
    }

    public async Task<string> AddAliasAsync(string appId, string userKey, string userId, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await ContactAliasSql.InsertAsync(connection, [(appId, userKey, userId)], cancellationToken);
            return (await ContactAliasSql.ResolveAsync(connection, appId, [userKey], cancellationToken))[userKey];
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or IOException)
        {
            throw new EventLogUnavailableException("The event log's PostgreSQL could not record the alias.", ex);
        }
    }

    public async Task<IReadOnlyDictionary<string, string>> ResolveAliasesAsync(string appId, IReadOnlyCollection<string> userKeys, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            return await ContactAliasSql.ResolveAsync(connection, appId, userKeys, cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or IOException)
        {
            throw new EventLogUnavailableException("The event log's PostgreSQL could not be read.", ex);
        }
    }

    public async Task<IReadOnlyList<string>> ReadAliasedKeysAsync(string appId, string userId, CancellationToken cancellationToken = default)
    {
        var reads = LazyInitializer.EnsureInitialized(ref _aliasReads, ref _readsLock, () => new(ReadAliasesAsync, MaxKeysPerRead, concurrency: ReadConcurrency));
        return await reads.RunAsync((appId, userId));
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
        await WithOutageAsync(async () =>
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                into.Add(create(reader.GetString(0)));
            }

            return true;
        });
    }

    private Coalescer<KeyRead, ProductEventRecord[]> Reads(ref Coalescer<KeyRead, ProductEventRecord[]>? reads, string keyCondition) =>
        LazyInitializer.EnsureInitialized(ref reads, ref _readsLock, () => new((batch, ct) => ReadKeysAsync(keyCondition, batch, ct), MaxKeysPerRead, concurrency: ReadConcurrency));

    private static async IAsyncEnumerable<ProductEventRecord> EntriesAsync(Coalescer<KeyRead, ProductEventRecord[]> reads, KeyRead read)
    {
        foreach (var entry in await reads.RunAsync(read))
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
            CROSS JOIN LATERAL (SELECT {Columns} FROM product_events e WHERE e.app_id = k.app_id AND {keyCondition} AND e.seq > k.after_seq) e
            ORDER BY k.i, e.seq
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = reads.Select(r => r.AppId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = reads.Select(r => r.Key).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = reads.Select(r => r.AfterSeq).ToArray() });
        return await WithOutageAsync(async () =>
        {
            var entries = await command.ReadPerRequestAsync(reads.Count, reader => ReadRecord(reader, 1), cancellationToken);
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
        return await WithOutageAsync(async () =>
        {
            var keys = await command.ReadPerRequestAsync(users.Count, reader => reader.GetString(1), cancellationToken);
            return keys.Select(k => (IReadOnlyList<string>)k).ToArray();
        });
    }

    private async Task<T> WithOutageAsync<T>(Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            _readiness = (clock.GetUtcNow(), false);
            throw new EventLogUnavailableException("The event log's PostgreSQL could not be read.", ex);
        }
    }

    private static async Task<List<int>> ClaimEventIdsAsync(
        NpgsqlConnection connection, IReadOnlyList<ProductEventRecord> events, AppendOutcome[] outcomes, CancellationToken cancellationToken)
    {
        var fresh = new List<int>(events.Count);
        var claimed = new Dictionary<(string AppId, string EventId), int>();
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            if (e.EventId is null)
            {
                fresh.Add(i);
            }
            else if (claimed.TryGetValue((e.AppId, e.EventId), out var first))
            {
                // The same key twice in one commit: the first occurrence is the event, the rest are its duplicates.
                outcomes[i] = AppendOutcome.Duplicate(events[first].Id);
            }
            else
            {
                claimed[(e.AppId, e.EventId)] = i;
            }
        }

        if (claimed.Count == 0)
        {
            return fresh;
        }

        var keys = claimed.ToArray();
        await using var command = new NpgsqlCommand(
            """
            WITH batch AS (SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[], $4::timestamptz[]) AS b(app_id, event_id, id, received_at)),
                 inserted AS (
                     INSERT INTO product_event_ids (app_id, event_id, id, received_at)
                     SELECT app_id, event_id, id, received_at FROM batch
                     ON CONFLICT (app_id, event_id) DO NOTHING
                     RETURNING app_id, event_id)
            SELECT b.app_id, b.event_id, e.id
            FROM batch b
            LEFT JOIN product_event_ids e ON e.app_id = b.app_id AND e.event_id = b.event_id
            WHERE NOT EXISTS (SELECT 1 FROM inserted i WHERE i.app_id = b.app_id AND i.event_id = b.event_id)
            """,
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = keys.Select(k => k.Key.AppId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = keys.Select(k => k.Key.EventId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = keys.Select(k => events[k.Value].Id).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = keys.Select(k => events[k.Value].ReceivedAt).ToArray() });

        // The keys this commit did not claim, with the id of the event that did. A claim committed by another
        // transaction while this statement waited for it is not in the statement's snapshot (its id reads as null): a
        // second statement, with a snapshot of its own, reads it.
        var earlier = new Dictionary<(string AppId, string EventId), Guid?>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                earlier[(reader.GetString(0), reader.GetString(1))] = reader.IsDBNull(2) ? null : reader.GetGuid(2);
            }
        }

        var unread = earlier.Where(k => k.Value is null).Select(k => k.Key).ToArray();
        if (unread.Length > 0)
        {
            await using var read = new NpgsqlCommand(
                """
                SELECT e.app_id, e.event_id, e.id FROM unnest($1::text[], $2::text[]) AS k(app_id, event_id)
                JOIN product_event_ids e ON e.app_id = k.app_id AND e.event_id = k.event_id
                """,
                connection);
            read.Parameters.Add(new NpgsqlParameter { Value = unread.Select(k => k.AppId).ToArray() });
            read.Parameters.Add(new NpgsqlParameter { Value = unread.Select(k => k.EventId).ToArray() });
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                earlier[(reader.GetString(0), reader.GetString(1))] = reader.GetGuid(2);
            }
        }

        foreach (var (key, index) in keys)
        {
            if (!earlier.TryGetValue(key, out var firstId))
            {
                fresh.Add(index);
            }
            else
            {
                outcomes[index] = AppendOutcome.Duplicate(firstId ?? throw new InvalidOperationException(
                    $"Event id '{key.EventId}' of app '{key.AppId}' is claimed, but its claim could not be read."));
            }
        }

        fresh.Sort();
        return fresh;
    }

    /// <summary>
    /// Log positions for the next commit, from blocks of <see cref="SeqBlockSize"/> drawn from the sequence (its
    /// increment). Positions are never reused, even when a commit fails: its outcome may be unknown.
    /// </summary>
    private async Task<long[]> NextSeqsAsync(NpgsqlConnection connection, int count, CancellationToken cancellationToken)
    {
        var seqs = new long[count];
        for (var i = 0; i < count; i++)
        {
            if (_nextSeq == _seqBlockEnd)
            {
                await using var command = new NpgsqlCommand("SELECT nextval('product_events_seq')", connection);
                _nextSeq = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
                _seqBlockEnd = _nextSeq + SeqBlockSize;
            }

            seqs[i] = _nextSeq++;
        }

        return seqs;
    }

    private static async Task WriteRowAsync(NpgsqlBinaryImporter copy, ProductEventRecord e, CancellationToken cancellationToken)
    {
        await copy.StartRowAsync(cancellationToken);
        await copy.WriteAsync(e.Seq, NpgsqlDbType.Bigint, cancellationToken);
        await copy.WriteAsync(e.Id, NpgsqlDbType.Uuid, cancellationToken);
        await copy.WriteAsync(e.AppId, NpgsqlDbType.Text, cancellationToken);
        await copy.WriteAsync(e.ProductId, NpgsqlDbType.Text, cancellationToken);
        await copy.WriteAsync((short)e.EventType, NpgsqlDbType.Smallint, cancellationToken);
        await WriteNullableAsync(copy, e.UserId, NpgsqlDbType.Text, cancellationToken);
        await WriteNullableAsync(copy, e.UserKey, NpgsqlDbType.Text, cancellationToken);
        await WriteNullableAsync(copy, e.Name, NpgsqlDbType.Text, cancellationToken);
        await copy.WriteAsync(e.Timestamp, NpgsqlDbType.TimestampTz, cancellationToken);
        await copy.WriteAsync(e.ReceivedAt, NpgsqlDbType.TimestampTz, cancellationToken);
        await WriteNullableAsync(copy, e.EventId, NpgsqlDbType.Text, cancellationToken);
        await copy.WriteAsync(AttributeJson.Serialize(e.Attributes), NpgsqlDbType.Jsonb, cancellationToken);
        await WriteNullableAsync(copy, e.CustomDataJson, NpgsqlDbType.Jsonb, cancellationToken);
    }

    private static Task WriteNullableAsync(NpgsqlBinaryImporter copy, string? value, NpgsqlDbType type, CancellationToken cancellationToken) =>
        value is null ? copy.WriteNullAsync(cancellationToken) : copy.WriteAsync(value, type, cancellationToken);

    private async IAsyncEnumerable<ProductEventRecord> ReadAsync(string sql, object[] parameters, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        NpgsqlDataReader reader;
        await using var command = dataSource.CreateCommand(sql);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        try
        {
            reader = await command.ExecuteReaderAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw new EventLogUnavailableException("The event log's PostgreSQL could not be read.", ex);
        }

        await using (reader)
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                yield return ReadRecord(reader, 0);
            }
        }
    }

    /// <summary>An entry of <see cref="Columns"/>, starting at column <paramref name="first"/>.</summary>
    private static ProductEventRecord ReadRecord(NpgsqlDataReader reader, int first) => new(
        Seq: reader.GetInt64(first),
        Id: reader.GetGuid(first + 1),
        AppId: reader.GetString(first + 2),
        ProductId: reader.GetString(first + 3),
        EventType: (ProductEventType)reader.GetInt16(first + 4),
        UserId: reader.IsDBNull(first + 5) ? null : reader.GetString(first + 5),
        UserKey: reader.IsDBNull(first + 6) ? null : reader.GetString(first + 6),
        Name: reader.IsDBNull(first + 7) ? null : reader.GetString(first + 7),
        Timestamp: reader.GetFieldValue<DateTimeOffset>(first + 8),
        ReceivedAt: reader.GetFieldValue<DateTimeOffset>(first + 9),
        EventId: reader.IsDBNull(first + 10) ? null : reader.GetString(first + 10),
        Attributes: AttributeJson.Deserialize(reader.GetString(first + 11)),
        CustomDataJson: reader.IsDBNull(first + 12) ? null : reader.GetString(first + 12));

    private readonly record struct KeyRead(string AppId, string Key, long AfterSeq);

    /// <summary>Keeps monthly partitions ready for this month and the next two, so no append meets a missing one.</summary>
    private async Task EnsurePartitionsAsync(IReadOnlyList<ProductEventRecord> events, CancellationToken cancellationToken)
    {
        var latest = events.Max(e => e.ReceivedAt);
        if (latest < _partitionsReadyUntil)
        {
            return;
        }

        await _partitionGate.WaitAsync(cancellationToken);
        try
        {
            if (latest < _partitionsReadyUntil)
            {
                return;
            }

            var from = new DateTimeOffset(latest.Year, latest.Month, 1, 0, 0, 0, TimeSpan.Zero);
            await using var command = dataSource.CreateCommand("SELECT product_events_ensure_partitions($1, 3)");
            command.Parameters.Add(new NpgsqlParameter { Value = from });
            await command.ExecuteNonQueryAsync(cancellationToken);
            _partitionsReadyUntil = from.AddMonths(2);
            logger.LogInformation("Event log partitions ready from {From:yyyy-MM} for 3 months", from);
        }
        finally
        {
            _partitionGate.Release();
        }
    }
}
