using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ProductEvents.Storage.Migrations;

/// <summary>
/// Applies the versioned scripts that are not yet in <c>schema_migrations</c>, each in its own transaction, under a
/// PostgreSQL advisory lock, so silos that start together apply every script exactly once.
/// </summary>
public sealed partial class SchemaMigrator
{
    /// <summary>The session-level advisory lock every migrator takes (the bytes of "PEschema").</summary>
    public const long AdvisoryLockKey = 0x5045_7363_6865_6D61;

    private const string CreateHistoryTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    integer     NOT NULL PRIMARY KEY,
            name       text        NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now(),
            checksum   text        NOT NULL
        )
        """;

    private readonly string connectionString;
    private readonly ILogger logger;

    /// <param name="migrations">The scripts to apply; the ones embedded from deploy/sql when omitted.</param>
    public SchemaMigrator(string connectionString, IReadOnlyList<Migration>? migrations = null, ILogger<SchemaMigrator>? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        this.connectionString = connectionString;
        Migrations = (migrations ?? Migration.Embedded()).OrderBy(m => m.Version).ToList();
        this.logger = logger ?? NullLogger<SchemaMigrator>.Instance;
    }

    public IReadOnlyList<Migration> Migrations { get; }

    /// <summary>Applies the pending migrations.</summary>
    /// <returns>The migrations this call applied, in order; empty when the database was up to date.</returns>
    /// <exception cref="MigrationChecksumException">An applied script differs from the one in <see cref="Migrations"/>.</exception>
    public async Task<IReadOnlyList<Migration>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);

        // Session-level: released by the unlock below, or by PostgreSQL if this process dies holding it.
        await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken);
        try
        {
            await ExecuteAsync(connection, null, CreateHistoryTable, cancellationToken);
            var applied = (await ReadAppliedAsync(connection, cancellationToken)).ToDictionary(a => a.Version);
            VerifyChecksums(applied);

            var done = new List<Migration>();
            foreach (var migration in Migrations.Where(m => !applied.ContainsKey(m.Version)))
            {
                await ApplyAsync(connection, migration, cancellationToken);
                done.Add(migration);
            }

            return done;
        }
        finally
        {
            if (connection.State == System.Data.ConnectionState.Open)
            {
                await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
            }
        }
    }

    /// <summary>The rows of <c>schema_migrations</c> in version order; empty if no migration ever ran.</summary>
    public async Task<IReadOnlyList<AppliedMigration>> ReadAppliedAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT to_regclass('schema_migrations') IS NOT NULL", connection);
        if (await exists.ExecuteScalarAsync(cancellationToken) is not true)
        {
            return [];
        }

        return await ReadAppliedAsync(connection, cancellationToken);
    }

    private static async Task<IReadOnlyList<AppliedMigration>> ReadAppliedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT version, name, applied_at, checksum FROM schema_migrations ORDER BY version", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<AppliedMigration>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new AppliedMigration(
                reader.GetInt32(0),
                reader.GetString(1),
                reader.GetFieldValue<DateTimeOffset>(2),
                reader.GetString(3)));
        }

        return rows;
    }

    private void VerifyChecksums(Dictionary<int, AppliedMigration> applied)
    {
        foreach (var migration in Migrations)
        {
            if (applied.TryGetValue(migration.Version, out var row) && row.Checksum != migration.Checksum)
            {
                throw new MigrationChecksumException(migration.Version, migration.Name, row.Checksum, migration.Checksum);
            }
        }

        var newest = Migrations.Count == 0 ? 0 : Migrations[^1].Version;
        foreach (var unknown in applied.Values.Where(a => a.Version > newest))
        {
            LogUnknownMigration(unknown.Version, unknown.Name);
        }
    }

    private async Task ApplyAsync(NpgsqlConnection connection, Migration migration, CancellationToken cancellationToken)
    {
        LogApplying(migration.Version, migration.Name);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken);
        await using (var record = new NpgsqlCommand(
            "INSERT INTO schema_migrations (version, name, checksum) VALUES (@version, @name, @checksum)", connection, transaction))
        {
            record.Parameters.AddWithValue("version", migration.Version);
            record.Parameters.AddWithValue("name", migration.Name);
            record.Parameters.AddWithValue("checksum", migration.Checksum);
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        LogApplied(migration.Version, migration.Name);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        // No command timeout: waiting for another silo's migration or building an index can take long;
        // the caller's token bounds it.
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying migration V{Version:000}__{Name}")]
    private partial void LogApplying(int version, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration V{Version:000}__{Name}")]
    private partial void LogApplied(int version, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database has migration V{Version:000}__{Name}, which this build does not know: it was migrated by a newer version")]
    private partial void LogUnknownMigration(int version, string name);
}
