using System.Data;
using ProductEvents.Storage.Audit;
using ProductEvents.Storage.Common;

namespace ProductEvents.Storage.Apps;

/// <summary>
/// Apps and keys in tables <c>apps</c> and <c>app_keys</c> (V028). A key change locks its app's row, so the checks
/// of one change (the name free, the count of live keys) hold until it commits; its audit entry commits with it.
/// </summary>
public sealed class PostgresAppStore(NpgsqlDataSource dataSource, TimeProvider clock) : IAppStore
{
    private const string AppColumns = "app_id, name, allowed_origins, created_at, updated_at";
    private const string KeyColumns = "id, app_id, name, kind, created_at, last_used_at, revoked_at";

    public async Task<StoredApp?> CreateAppAsync(string appId, string name, IReadOnlyList<string> allowedOrigins, string actor, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        return await InTransactionAsync<StoredApp?>(async (connection, transaction) =>
        {
            await using var insert = Command(connection, transaction,
                $"INSERT INTO apps ({AppColumns}) VALUES ($1, $2, $3, $4, $4) ON CONFLICT (app_id) DO NOTHING RETURNING {AppColumns}",
                appId, name, allowedOrigins.ToArray(), now.ToUniversalTime());
            var app = await ReadAppAsync(insert, cancellationToken);
            if (app is not null)
            {
                await PostgresAuditLog.WriteAsync(connection, transaction, AppAuditEntries.Created(actor, app), now, cancellationToken);
            }

            return app;
        }, cancellationToken);
    }

    public async Task<StoredApp?> UpdateAppAsync(string appId, string? name, IReadOnlyList<string>? allowedOrigins, string actor, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        return await InTransactionAsync<StoredApp?>(async (connection, transaction) =>
        {
            await using var update = Command(connection, transaction,
                $"UPDATE apps SET name = coalesce($2, name), allowed_origins = coalesce($3, allowed_origins), updated_at = $4 WHERE app_id = $1 RETURNING {AppColumns}",
                appId, name, allowedOrigins?.ToArray(), now.ToUniversalTime());
            var app = await ReadAppAsync(update, cancellationToken);
            if (app is not null)
            {
                await PostgresAuditLog.WriteAsync(connection, transaction, AppAuditEntries.Updated(actor, app), now, cancellationToken);
            }

            return app;
        }, cancellationToken);
    }

    public async Task<StoredApp?> GetAppAsync(string appId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.Command($"SELECT {AppColumns} FROM apps WHERE app_id = $1", appId);
        return await ReadAppAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<StoredApp>> ListAppsAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {AppColumns} FROM apps ORDER BY app_id");
        return await ReadAppsAsync(command, cancellationToken);
    }

    public async Task<KeyWriteResult> AddKeyAsync(string appId, string name, AppKeyKind kind, byte[] keyHash, string actor, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        return await InTransactionAsync(async (connection, transaction) =>
        {
            if (!await LockAppAsync(connection, transaction, appId, cancellationToken))
            {
                return new KeyWriteResult(KeyWriteStatus.AppNotFound);
            }

            await using (var live = Command(connection, transaction,
                "SELECT count(*), coalesce(bool_or(name = $2), false) FROM app_keys WHERE app_id = $1 AND revoked_at IS NULL", appId, name))
            await using (var reader = await live.ExecuteReaderAsync(cancellationToken))
            {
                await reader.ReadAsync(cancellationToken);
                if (reader.GetBoolean(1))
                {
                    return new KeyWriteResult(KeyWriteStatus.NameTaken);
                }

                if (reader.GetInt64(0) >= AppLimits.MaxLiveKeysPerApp)
                {
                    return new KeyWriteResult(KeyWriteStatus.TooManyKeys);
                }
            }

            var key = await InsertKeyAsync(connection, transaction, appId, name, kind, keyHash, now, cancellationToken);
            await PostgresAuditLog.WriteAsync(connection, transaction, AppAuditEntries.KeyAdded(actor, key), now, cancellationToken);
            return new KeyWriteResult(KeyWriteStatus.Done, key);
        }, cancellationToken);
    }

    public async Task<KeyWriteResult> RotateKeyAsync(string appId, string name, Func<AppKeyKind, byte[]> newKeyHash, TimeSpan grace, string actor, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var oldRevokedAt = now + grace;
        return await InTransactionAsync(async (connection, transaction) =>
        {
            if (!await LockAppAsync(connection, transaction, appId, cancellationToken))
            {
                return new KeyWriteResult(KeyWriteStatus.AppNotFound);
            }

            await using var retire = Command(connection, transaction,
                "UPDATE app_keys SET revoked_at = $3 WHERE app_id = $1 AND name = $2 AND revoked_at IS NULL RETURNING kind",
                appId, name, oldRevokedAt.ToUniversalTime());
            if (await retire.ExecuteScalarAsync(cancellationToken) is not string kind)
            {
                return new KeyWriteResult(KeyWriteStatus.KeyNotFound);
            }

            AppKeyKinds.TryParse(kind, out var parsed);
            var key = await InsertKeyAsync(connection, transaction, appId, name, parsed, newKeyHash(parsed), now, cancellationToken);
            await PostgresAuditLog.WriteAsync(connection, transaction, AppAuditEntries.KeyRotated(actor, key, oldRevokedAt), now, cancellationToken);
            return new KeyWriteResult(KeyWriteStatus.Done, key);
        }, cancellationToken);
    }

    public async Task<KeyWriteResult> RevokeKeyAsync(string appId, string name, string actor, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        return await InTransactionAsync(async (connection, transaction) =>
        {
            if (!await LockAppAsync(connection, transaction, appId, cancellationToken))
            {
                return new KeyWriteResult(KeyWriteStatus.AppNotFound);
            }

            await using var revoke = Command(connection, transaction,
                $"UPDATE app_keys SET revoked_at = $3 WHERE app_id = $1 AND name = $2 AND (revoked_at IS NULL OR revoked_at > $3) RETURNING {KeyColumns}",
                appId, name, now.ToUniversalTime());
            var revoked = await ReadKeysAsync(revoke, cancellationToken);
            if (revoked.Count == 0)
            {
                return new KeyWriteResult(KeyWriteStatus.KeyNotFound);
            }

            await PostgresAuditLog.WriteAsync(connection, transaction, AppAuditEntries.KeyRevoked(actor, appId, name, revoked.Count), now, cancellationToken);
            return new KeyWriteResult(KeyWriteStatus.Done, revoked.MaxBy(k => k.Id));
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<StoredKey>?> ListKeysAsync(string appId, CancellationToken cancellationToken = default)
    {
        if (await GetAppAsync(appId, cancellationToken) is null)
        {
            return null;
        }

        await using var command = dataSource.Command(
            $"SELECT {KeyColumns} FROM app_keys WHERE app_id = $1 ORDER BY id DESC LIMIT $2", appId, AppLimits.MaxListedKeys);
        return await ReadKeysAsync(command, cancellationToken);
    }

    public async Task<long> ReadVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT version FROM app_registry_version");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<AppRegistrySnapshot> LoadAsync(CancellationToken cancellationToken = default)
    {
        // One snapshot of the database: the version read belongs to exactly the rows read.
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        long version;
        await using (var read = Command(connection, transaction, "SELECT version FROM app_registry_version"))
        {
            try
            {
                version = (long)(await read.ExecuteScalarAsync(cancellationToken))!;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
            {
                throw new InvalidOperationException(
                    "The database has no tables of stored apps (migration V028): run `dotnet run --project src/Silo -- migrate`, or start a silo, which applies the migrations.", ex);
            }
        }

        var keys = new List<LiveKey>();
        await using (var read = Command(connection, transaction,
            "SELECT id, app_id, name, kind, key_hash, revoked_at FROM app_keys WHERE revoked_at IS NULL OR revoked_at > $1",
            clock.GetUtcNow().ToUniversalTime()))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                AppKeyKinds.TryParse(reader.GetString(3), out var kind);
                keys.Add(new LiveKey(
                    reader.GetInt64(0), reader.GetString(1), reader.GetString(2), kind, reader.GetFieldValue<byte[]>(4),
                    reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5)));
            }
        }

        IReadOnlyList<StoredApp> apps;
        await using (var read = Command(connection, transaction, $"SELECT {AppColumns} FROM apps"))
        {
            apps = await ReadAppsAsync(read, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new AppRegistrySnapshot(version, keys, apps);
    }

    public async Task RecordUseAsync(IReadOnlyList<KeyUse> uses, CancellationToken cancellationToken = default)
    {
        if (uses.Count == 0)
        {
            return;
        }

        await using var command = dataSource.CreateCommand(
            """
            UPDATE app_keys k SET last_used_at = u.at
            FROM unnest($1::bigint[], $2::timestamptz[]) AS u(id, at)
            WHERE k.id = u.id AND (k.last_used_at IS NULL OR k.last_used_at < u.at)
            """);
        command.AddArray(uses.Select(u => u.KeyId));
        command.AddArray(uses.Select(u => u.At.ToUniversalTime()));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<T> InTransactionAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await work(connection, transaction);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    private static async Task<bool> LockAppAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string appId, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, "SELECT 1 FROM apps WHERE app_id = $1 FOR UPDATE", appId);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    private static async Task<StoredKey> InsertKeyAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string appId, string name, AppKeyKind kind, byte[] keyHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var insert = Command(connection, transaction,
            $"INSERT INTO app_keys (app_id, name, kind, key_hash, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING {KeyColumns}",
            appId, name, AppKeyKinds.Name(kind), keyHash, now.ToUniversalTime());
        return (await ReadKeysAsync(insert, cancellationToken))[0];
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, params object?[] values)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }

    private static async Task<StoredApp?> ReadAppAsync(NpgsqlCommand command, CancellationToken cancellationToken) =>
        (await ReadAppsAsync(command, cancellationToken)).FirstOrDefault();

    private static async Task<IReadOnlyList<StoredApp>> ReadAppsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var apps = new List<StoredApp>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            apps.Add(new StoredApp(
                reader.GetString(0), reader.GetString(1), reader.GetFieldValue<string[]>(2),
                reader.GetFieldValue<DateTimeOffset>(3), reader.GetFieldValue<DateTimeOffset>(4)));
        }

        return apps;
    }

    private static async Task<IReadOnlyList<StoredKey>> ReadKeysAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var keys = new List<StoredKey>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            AppKeyKinds.TryParse(reader.GetString(3), out var kind);
            keys.Add(new StoredKey(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), kind, reader.GetFieldValue<DateTimeOffset>(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
                reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6)));
        }

        return keys;
    }
}
