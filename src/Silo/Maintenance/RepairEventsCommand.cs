using Npgsql;
using ProductEvents.Api.Ingest;
using ProductEvents.Api.Json;

namespace ProductEvents.Silo.Maintenance;

/// <summary>
/// <c>dotnet run --project src/Silo -- repair-events [--dry-run]</c>: rewrites, in the log, every stored
/// <c>custom_data</c> that a listing cannot write as it is (stored before today's input rules) into its safe form
/// <c>{"_raw": "its JSON text"}</c>, the form listings already show it in. Other fields are left alone.
/// </summary>
public static class RepairEventsCommand
{
    public const string Name = "repair-events";

    public const int Succeeded = 0;
    public const int Failed = 1;
    public const int NotConfigured = 2;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var dryRun = args.Contains("--dry-run", StringComparer.Ordinal);
        var configuration = WebApplication.CreateBuilder([.. args.Where(a => a != "--dry-run")]).Configuration;
        var connectionString = configuration.GetConnectionString("Postgres");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            await error.WriteLineAsync($"{Name}: ConnectionStrings:Postgres is not set (appsettings, ConnectionStrings__Postgres, or --ConnectionStrings:Postgres=...).");
            return NotConfigured;
        }

        try
        {
            var (examined, repaired) = await RepairAsync(connectionString, dryRun, output, cancellationToken);
            await output.WriteLineAsync(dryRun
                ? $"{Name}: {examined} candidate entries examined, {repaired} would be rewritten (dry run: nothing changed)."
                : $"{Name}: {examined} candidate entries examined, {repaired} rewritten.");
            return Succeeded;
        }
        catch (NpgsqlException ex)
        {
            await error.WriteLineAsync($"{Name}: failed: {ex.Message}");
            return Failed;
        }
    }

    private static async Task<(long Examined, long Repaired)> RepairAsync(string connectionString, bool dryRun, TextWriter output, CancellationToken cancellationToken)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);

        // Only a value with more brackets than the depth limit can nest too deep: the server counts them, so the scan
        // reads just those (a bracket inside a string only makes an entry a candidate, checked here).
        await using var scan = dataSource.CreateCommand(
            """
            SELECT seq, received_at, id, app_id, custom_data::text FROM product_events
            WHERE custom_data IS NOT NULL
              AND length(custom_data::text) - length(translate(custom_data::text, '{[', '')) > $1
            """);
        scan.Parameters.Add(new NpgsqlParameter<int> { TypedValue = IngestLimits.MaxCustomDataDepth });
        var repairs = new List<(long Seq, DateTimeOffset ReceivedAt, string SafeForm)>();
        long examined = 0;
        await using (var reader = await scan.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                examined++;
                StoredCustomData.Read(reader.GetString(4), out var problem);
                if (problem is not null)
                {
                    await output.WriteLineAsync($"event {reader.GetGuid(2)} (app {reader.GetString(3)}): {problem}");
                    repairs.Add((reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), StoredCustomData.SafeForm(reader.GetString(4)).GetRawText()));
                }
            }
        }

        if (!dryRun)
        {
            foreach (var (seq, receivedAt, safeForm) in repairs)
            {
                await using var update = dataSource.CreateCommand("UPDATE product_events SET custom_data = $3::jsonb WHERE seq = $1 AND received_at = $2");
                update.Parameters.Add(new NpgsqlParameter<long> { TypedValue = seq });
                update.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = receivedAt });
                update.Parameters.Add(new NpgsqlParameter<string> { TypedValue = safeForm });
                await update.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        return (examined, repairs.Count);
    }
}
