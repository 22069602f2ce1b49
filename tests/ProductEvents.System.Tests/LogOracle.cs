using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using ProductEvents.Abstractions;
using ProductEvents.Api.EventLog;
using ProductEvents.Grains.Contacts;
using ProductEvents.Grains.Products;
using ProductEvents.Storage.EventLog;

namespace ProductEvents.SystemTests;

/// <summary>
/// What the log implies: reads the event log straight from PostgreSQL and folds it with the same projection logic
/// the grains use, so a test can compare the API's answers with the truth.
/// </summary>
public sealed class LogOracle(string connectionString) : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(connectionString);

    private PostgresEventLog Log => new(_dataSource, TimeProvider.System, Options.Create(new EventLogOptions()), NullLogger<PostgresEventLog>.Instance);

    /// <summary>event_id → how many log rows carry it.</summary>
    public async Task<Dictionary<string, long>> EventIdCountsAsync(string appId)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var command = _dataSource.CreateCommand("SELECT event_id, count(*) FROM product_events WHERE app_id = $1 GROUP BY event_id");
        command.Parameters.Add(new NpgsqlParameter { Value = appId });
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            counts[reader.IsDBNull(0) ? "" : reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    /// <summary>
    /// Keys (kind/app/id) the log holds entries for that are not registered as having them: a grain would take such a
    /// key for new and skip its history. Must always be empty.
    /// </summary>
    public async Task<List<string>> UnregisteredKeysAsync()
    {
        await using var command = _dataSource.CreateCommand(
            """
            SELECT k.kind || '/' || k.app_id || '/' || k.id
            FROM (SELECT DISTINCT app_id, 'p' AS kind, product_id AS id FROM product_events
                  UNION SELECT DISTINCT app_id, 'u', user_id FROM product_events WHERE user_id IS NOT NULL
                  UNION SELECT DISTINCT app_id, 'k', user_key FROM product_events WHERE user_id IS NULL) k
            WHERE NOT EXISTS (SELECT 1 FROM log_key_hashes h WHERE h.key_hash = log_key_hash(k.app_id, k.kind, k.id))
            ORDER BY 1
            """);
        var keys = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    public async Task<ProductSnapshot?> ExpectedProductAsync(string appId, string productId)
    {
        var state = new ProductState();
        await foreach (var e in Log.ReadProductAsync(appId, productId, 0))
        {
            ProductProjection.Apply(state, e);
        }

        return ProductProjection.ToSnapshot(productId, state);
    }

    public async Task<ContactSnapshot?> ExpectedContactAsync(string appId, string userId) =>
        await ContactStateAsync(appId, userId) is { } state ? ContactProjection.ToSnapshot(ContactRef.User(userId), state) : null;

    /// <summary>The contact's state folded from its log entries; null when it has none.</summary>
    public async Task<ContactState?> ContactStateAsync(string appId, string userId)
    {
        var state = new ContactState();
        await foreach (var e in Log.ReadContactAsync(appId, ContactRef.User(userId), 0))
        {
            ContactProjection.Apply(state, e, int.MaxValue);
        }

        return state.EventCount == 0 ? null : state;
    }

    /// <summary>Compares a product as the API answered it with the log's; returns the differences, empty when equal.</summary>
    public static List<string> Differences(ProductSnapshot expected, JsonElement actual)
    {
        var differences = new List<string>();
        var name = actual.GetProperty("name");
        if ((name.ValueKind == JsonValueKind.Null ? null : name.GetString()) != expected.Name)
        {
            differences.Add($"{expected.ProductId}: name {name} != {expected.Name}");
        }

        var attributes = actual.GetProperty("attributes");
        foreach (var (key, value) in expected.Attributes)
        {
            if (!attributes.TryGetProperty(key, out var got) || !SameValue(value, got))
            {
                differences.Add($"{expected.ProductId}: attribute {key} = {(attributes.TryGetProperty(key, out var g) ? g.GetRawText() : "missing")}, log says {value.Text}");
            }
        }

        if (attributes.EnumerateObject().Count() != expected.Attributes.Count)
        {
            differences.Add($"{expected.ProductId}: {attributes.EnumerateObject().Count()} attributes, log says {expected.Attributes.Count}");
        }

        var counts = actual.GetProperty("event_counts").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
        var expectedCounts = expected.EventCounts.ToDictionary(c => ProductEventTypes.Name(c.Key), c => c.Value);
        if (!counts.OrderBy(c => c.Key).SequenceEqual(expectedCounts.OrderBy(c => c.Key)))
        {
            differences.Add($"{expected.ProductId}: event counts {string.Join(",", counts)} != {string.Join(",", expectedCounts)}");
        }

        return differences;
    }

    /// <summary>Compares a contact as the API answered it with the log's; returns the differences, empty when equal.</summary>
    public static List<string> Differences(ContactSnapshot expected, JsonElement actual)
    {
        var differences = new List<string>();
        if (actual.GetProperty("event_count").GetInt64() != expected.EventCount)
        {
            differences.Add($"{expected.Contact.Value}: event_count {actual.GetProperty("event_count")} != {expected.EventCount}");
        }

        var got = actual.GetProperty("interactions").EnumerateArray()
            .Select(i => $"{i.GetProperty("product_id").GetString()}|{i.GetProperty("event_type_id").GetInt32()}|{i.GetProperty("count").GetInt64()}|{Time(i, "first_at")}|{Time(i, "last_at")}")
            .Order(StringComparer.Ordinal).ToList();
        var want = expected.Interactions
            .Select(i => $"{i.ProductId}|{(int)i.EventType}|{i.Count}|{i.FirstAt.UtcTicks}|{i.LastAt.UtcTicks}")
            .Order(StringComparer.Ordinal).ToList();
        differences.AddRange(got.Except(want).Select(x => $"{expected.Contact.Value}: API has {x}"));
        differences.AddRange(want.Except(got).Select(x => $"{expected.Contact.Value}: log implies {x}"));
        return differences;
    }

    public async ValueTask DisposeAsync() => await _dataSource.DisposeAsync();

    private static long Time(JsonElement element, string property) =>
        DateTimeOffset.Parse(element.GetProperty(property).GetString()!, CultureInfo.InvariantCulture).UtcTicks;

    private static bool SameValue(AttributeValue expected, JsonElement actual) => expected.Kind switch
    {
        AttributeKind.String => actual.ValueKind == JsonValueKind.String && actual.GetString() == expected.Text,
        AttributeKind.Number => actual.ValueKind == JsonValueKind.Number && actual.GetDecimal() == decimal.Parse(expected.Text!, NumberStyles.Float, CultureInfo.InvariantCulture),
        AttributeKind.Boolean => actual.ValueKind is JsonValueKind.True or JsonValueKind.False && actual.GetBoolean() == (expected.Text == "true"),
        _ => actual.ValueKind == JsonValueKind.Null,
    };
}
