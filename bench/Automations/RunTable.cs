using Npgsql;

namespace ProductEvents.Bench.Automations;

/// <summary>The runs of one automation as the silo recorded them: due time, status and when they ended, by user id.</summary>
public static class RunTable
{
    public sealed record Run(DateTimeOffset DueAt, string Status, DateTimeOffset EndedAt);

    public static async Task<Dictionary<string, Run>> ReadAsync(string connectionString, string automationId)
    {
        await using var db = NpgsqlDataSource.Create(connectionString);
        await using var command = db.CreateCommand("SELECT contact_key, due_at, status, updated_at FROM automation_runs WHERE automation_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = automationId });
        var runs = new Dictionary<string, Run>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            // contact_key is "u/<user id>".
            runs[reader.GetString(0)[2..]] = new Run(reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3));
        }

        return runs;
    }
}
