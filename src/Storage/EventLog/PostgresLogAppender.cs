using NpgsqlTypes;

namespace ProductEvents.Storage.EventLog;

/// <summary>
/// The log's group commit: one transaction that checks the writer's epoch (<see cref="PostgresLogWriter"/>), claims the
/// batch's idempotency keys, takes its log positions from blocks of a sequence and writes its rows with one binary COPY,
/// while the keys it brings for the first time are registered in <c>log_key_hashes</c>.
/// </summary>
internal sealed class PostgresLogAppender(
    NpgsqlDataSource dataSource, PostgresLogPartitions partitions, PostgresLogWriter writer, PostgresLogOutage outage, EventLogOptions options)
{
    private const string CopyCommand =
        "COPY product_events (seq, id, app_id, product_id, event_type, user_id, user_key, name, occurred_at, received_at, event_id, attributes, custom_data) FROM STDIN (FORMAT BINARY)";

    /// <summary>The sequence's increment (deploy/sql/V004): one nextval reserves this many positions.</summary>
    private const long SeqBlockSize = 1024;

    private readonly KnownKeys _knownKeys = new(options.KnownKeysCapacity);
    private long _nextSeq;
    private long _seqBlockEnd;
    private long _blockEpoch;

    public Task<AppendResult> AppendAsync(IReadOnlyList<ProductEventRecord> events, CancellationToken cancellationToken) =>
        outage.RunAsync(PostgresLogOutage.Commit, () => CommitAsync(events, cancellationToken));

    private async Task<AppendResult> CommitAsync(IReadOnlyList<ProductEventRecord> events, CancellationToken cancellationToken)
    {
        // Made ahead by EventLogPartitionUpkeep; checked here too, so no append ever meets a missing partition.
        await partitions.EnsureAsync(events.Max(e => e.ReceivedAt), cancellationToken);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);

        // One COPY is a transaction of its own; the writer's epoch check, idempotency keys and visitor merges must
        // commit with it, and the rows of new keys before it.
        var aliases = ContactAliasSql.Of(events);
        var unknown = _knownKeys.Unknown(events);
        await using var transaction = writer.Fenced || events.Any(e => e.EventId is not null) || aliases.Count > 0 || unknown.Count > 0
            ? await connection.BeginTransactionAsync(cancellationToken)
            : null;
        await writer.CheckAsync(connection, cancellationToken);
        var outcomes = new AppendOutcome[events.Count];
        var newKeys = NewKeys.None;

        // Positions are drawn before the idempotency keys are claimed, so each claim records its event's position (the
        // integer id a repeated event_id is answered with); a duplicate's position stays unused.
        var seqs = await NextSeqsAsync(connection, events.Count, cancellationToken);
        var fresh = await ClaimEventIdsAsync(connection, events, seqs, outcomes, cancellationToken);
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
                await using (var copy = await connection.BeginBinaryImportAsync(CopyCommand, cancellationToken))
                {
                    for (var i = 0; i < fresh.Count; i++)
                    {
                        var committed = events[fresh[i]] with { Seq = seqs[fresh[i]] };
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

    private static async Task<List<int>> ClaimEventIdsAsync(
        NpgsqlConnection connection, IReadOnlyList<ProductEventRecord> events, long[] seqs, AppendOutcome[] outcomes, CancellationToken cancellationToken)
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
                outcomes[i] = AppendOutcome.Duplicate(events[first].Id, seqs[first]);
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
            WITH batch AS (SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[], $4::timestamptz[], $5::bigint[]) AS b(app_id, event_id, id, received_at, seq)),
                 inserted AS (
                     INSERT INTO product_event_ids (app_id, event_id, id, received_at, seq)
                     SELECT app_id, event_id, id, received_at, seq FROM batch
                     ON CONFLICT (app_id, event_id) DO NOTHING
                     RETURNING app_id, event_id)
            SELECT b.app_id, b.event_id, e.id, e.seq
            FROM batch b
            LEFT JOIN product_event_ids e ON e.app_id = b.app_id AND e.event_id = b.event_id
            WHERE NOT EXISTS (SELECT 1 FROM inserted i WHERE i.app_id = b.app_id AND i.event_id = b.event_id)
            """,
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = keys.Select(k => k.Key.AppId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = keys.Select(k => k.Key.EventId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = keys.Select(k => events[k.Value].Id).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = keys.Select(k => events[k.Value].ReceivedAt).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = keys.Select(k => seqs[k.Value]).ToArray() });

        // The keys this commit did not claim, with the id of the event that did. A claim committed by another
        // transaction while this statement waited for it is not in the statement's snapshot (its id reads as null): a
        // second statement, with a snapshot of its own, reads it.
        var earlier = new Dictionary<(string AppId, string EventId), (Guid Id, long Seq)?>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                earlier[(reader.GetString(0), reader.GetString(1))] = reader.IsDBNull(2) ? null : (reader.GetGuid(2), SeqOrZero(reader, 3));
            }
        }

        var unread = earlier.Where(k => k.Value is null).Select(k => k.Key).ToArray();
        if (unread.Length > 0)
        {
            await using var read = new NpgsqlCommand(
                """
                SELECT e.app_id, e.event_id, e.id, e.seq FROM unnest($1::text[], $2::text[]) AS k(app_id, event_id)
                JOIN product_event_ids e ON e.app_id = k.app_id AND e.event_id = k.event_id
                """,
                connection);
            read.Parameters.Add(new NpgsqlParameter { Value = unread.Select(k => k.AppId).ToArray() });
            read.Parameters.Add(new NpgsqlParameter { Value = unread.Select(k => k.EventId).ToArray() });
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                earlier[(reader.GetString(0), reader.GetString(1))] = (reader.GetGuid(2), SeqOrZero(reader, 3));
            }
        }

        foreach (var (key, index) in keys)
        {
            if (!earlier.TryGetValue(key, out var first))
            {
                fresh.Add(index);
            }
            else
            {
                var (firstId, firstSeq) = first ?? throw new InvalidOperationException(
                    $"Event id '{key.EventId}' of app '{key.AppId}' is claimed, but its claim could not be read.");
                outcomes[index] = AppendOutcome.Duplicate(firstId, firstSeq);
            }
        }

        fresh.Sort();
        return fresh;
    }

    /// <summary>A claim made before claims kept their event's position (deploy/sql/V025) may have none: 0.</summary>
    private static long SeqOrZero(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? 0 : reader.GetInt64(ordinal);

    /// <summary>
    /// Log positions for the next commit, from blocks of <see cref="SeqBlockSize"/> drawn from the sequence (its
    /// increment). Positions are never reused, even when a commit fails: its outcome may be unknown. A block drawn before
    /// this process last took over the writing is dropped: another writer may have committed higher positions since.
    /// </summary>
    private async Task<long[]> NextSeqsAsync(NpgsqlConnection connection, int count, CancellationToken cancellationToken)
    {
        if (_blockEpoch != writer.Epoch)
        {
            (_nextSeq, _seqBlockEnd, _blockEpoch) = (0, 0, writer.Epoch);
        }

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
}
