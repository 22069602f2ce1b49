using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using ProductEvents.Abstractions;
using ProductEvents.Api.EventLog;
using ProductEvents.Api.Json;
using ProductEvents.Silo.Maintenance;
using ProductEvents.Storage.EventLog;
using ProductEvents.Testing;

namespace ProductEvents.Storage.Tests;

/// <summary>Entries stored before today's input rules are rewritten in the log to the form listings show them in.</summary>
[Collection(PostgresFixture.Collection)]
public sealed class RepairEventsCommandTests(PostgresFixture postgres)
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task RepairRewritesTooDeepCustomDataToItsSafeFormAndLeavesTheRestAlone()
    {
        var connectionString = await postgres.CreateMigratedDatabaseAsync("repair");
        await using var db = NpgsqlDataSource.Create(connectionString);
        var log = new PostgresEventLog(db, TimeProvider.System, Options.Create(new EventLogOptions()), NullLogger<PostgresEventLog>.Instance);
        var shallow = """{"a": {"b": [1, 2, {"c": "{[{[{[{[{[{[{[{[{[{[{["}]}}""";
        var appended = await log.AppendAsync([Record(1, shallow), Record(2, """{"x": 1}"""), Record(3, null)]);
        var deepId = appended.Outcomes[1].Id;

        // Stored as an older version accepted it: 63 levels, more than any listing writes.
        var deep = string.Concat(Enumerable.Repeat("{\"d\":", 62)) + "1" + new string('}', 62);
        await using (var update = db.CreateCommand("UPDATE product_events SET custom_data = $1::jsonb WHERE id = $2"))
        {
            update.Parameters.Add(new NpgsqlParameter<string> { TypedValue = deep });
            update.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = deepId });
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }

        var (dryCode, dryOutput) = await RunAsync($"--ConnectionStrings:Postgres={connectionString}", "--dry-run");
        Assert.Equal(RepairEventsCommand.Succeeded, dryCode);
        Assert.Contains("1 would be rewritten", dryOutput, StringComparison.Ordinal);
        Assert.Equal(deep.Replace("\"d\":", "\"d\": ", StringComparison.Ordinal), await CustomDataAsync(db, deepId));

        var (code, output) = await RunAsync($"--ConnectionStrings:Postgres={connectionString}");

        Assert.Equal(RepairEventsCommand.Succeeded, code);
        Assert.Contains($"event {deepId}", output, StringComparison.Ordinal);
        Assert.Contains("1 rewritten", output, StringComparison.Ordinal);
        var repaired = System.Text.Json.JsonDocument.Parse((await CustomDataAsync(db, deepId))!).RootElement;
        Assert.StartsWith("{\"d\": {\"d\":", repaired.GetProperty(StoredCustomData.RawKey).GetString(), StringComparison.Ordinal);
        Assert.Equal("""{"a": {"b": [1, 2, {"c": "{[{[{[{[{[{[{[{[{[{[{["}]}}""", await CustomDataAsync(db, appended.Outcomes[0].Id));
        Assert.Null(await CustomDataAsync(db, appended.Outcomes[2].Id));
    }

    private static async Task<string?> CustomDataAsync(NpgsqlDataSource db, Guid id)
    {
        await using var read = db.CreateCommand("SELECT custom_data::text FROM product_events WHERE id = $1");
        read.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        return await read.ExecuteScalarAsync() as string;
    }

    private static async Task<(int Code, string Output)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await RepairEventsCommand.RunAsync(args, output, error);
        return (code, output + error.ToString());
    }

    private static ProductEventRecord Record(int n, string? customData) => new(
        0, Guid.NewGuid(), "repair", $"p-{n}", ProductEventType.View, "u-1", null, null, T0.AddSeconds(n), T0.AddSeconds(n), null,
        new Dictionary<string, AttributeValue>(), customData);
}
