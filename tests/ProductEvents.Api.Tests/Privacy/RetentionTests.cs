using System.Net;
using System.Text.Json.Nodes;
using Npgsql;
using ProductEvents.Api.Tests.Segments;
using ProductEvents.Api.Tests.Support;

namespace ProductEvents.Api.Tests.Privacy;

/// <summary>
/// Retention on the durable host (app "shop" keeps 30 days, app "other" keeps everything): events are ingested over
/// HTTP, then moved into the past in storage (their arrival time, the log's partition key), and the retention worker,
/// running every second, removes what is past the app's period. Contacts and segments then agree with what remains.
/// </summary>
[Collection(PostgresFixture.Collection)]
public sealed class RetentionTests(PostgresFixture postgres)
{
    [Fact]
    public async Task EntriesPastTheAppsRetentionLeaveAndContactsAndSegmentsAgreeWithWhatRemains()
    {
        var database = await postgres.CreateMigratedDatabaseAsync("retention_rows");
        await using var host = await StartAsync(database);
        var (shop, other) = (Api(host, PrivacyHost.ShopSecret), Api(host, PrivacyHost.OtherSecret));
        var (gone, mixed, kept) = (Ids.User(), Ids.User(), Ids.User());
        var (bought, viewed) = (Ids.Product(), Ids.Product());
        var buyers = await shop.CreateReadyAsync("bought", PrivacyHost.EventCondition("purchase", bought));
        await shop.IngestAsync(PrivacyHost.Event(bought, "purchase", gone, attributes: new JsonObject { ["name"] = "Kettle", ["event_id"] = $"old-{gone}" }));
        await shop.IngestAsync(PrivacyHost.Event(bought, "purchase", mixed));
        await shop.IngestAsync(PrivacyHost.Event(viewed, "view", mixed));
        await other.IngestAsync(PrivacyHost.Event(bought, "purchase", kept));
        await shop.WaitMemberAsync(buyers, gone);
        await shop.WaitMemberAsync(buyers, mixed);
        await Eventually.TrueAsync(async () => (await other.GetAsync($"/api/v1/contacts/{kept}")).IsSuccessStatusCode, "the other app's contact");
        var timeline = $"/api/v1/analytics/products/{bought}/timeline?interval=day";
        await Eventually.TrueAsync(async () => await PurchasesAsync(shop, timeline) == 2, "both purchases in the analytics");

        // Forty days ago: everything of the contact "gone", the purchase of "mixed", and the other app's event.
        await AgeAsync(database, TimeSpan.FromDays(40),
            "app_id = 'shop' AND (user_id = $1 OR (user_id = $2 AND event_type = 2)) OR app_id = 'other' AND user_id = $3", gone, mixed, kept);

        await Eventually.TrueAsync(async () => !(await shop.GetAsync($"/api/v1/contacts/{gone}")).IsSuccessStatusCode, "the contact whose every event left");
        await Eventually.TrueAsync(async () => await EventCountAsync(shop, mixed) == 1, "the contact to count only what remains");
        await shop.WaitMemberAsync(buyers, gone, member: false);
        await shop.WaitMemberAsync(buyers, mixed, member: false);
        Assert.Equal(0, await PurchasesAsync(shop, timeline));
        Assert.Equal(1, await PurchasesAsync(other, timeline));

        Assert.Empty((await shop.GetJsonAsync($"/api/v1/product-events?user_id={gone}"))["results"]!.AsArray());
        var remaining = (await shop.GetJsonAsync($"/api/v1/contacts/{mixed}/product-events"))["results"]!.AsArray();
        Assert.Equal("view", Assert.Single(remaining)!["event_type"]!.GetValue<string>());
        var leaves = (await shop.GetJsonAsync($"/api/v1/segments/{buyers}/changes?limit=1000"))["results"]!.AsArray()
            .Where(c => c!["change"]!.GetValue<string>() == "leave").Select(c => c!["user_id"]!.GetValue<string>());
        Assert.Equal(new[] { gone, mixed }.Order(), leaves.Order());

        // The product keeps its attributes; the other app keeps its old event; the idempotency key left with its event.
        Assert.Equal("Kettle", (await shop.GetJsonAsync($"/api/v1/products/{bought}"))["name"]!.GetValue<string>());
        Assert.Single((await other.GetJsonAsync($"/api/v1/contacts/{kept}/product-events"))["results"]!.AsArray());
        using var again = await shop.PostJsonAsync("/api/v1/product-events", PrivacyHost.Event(bought, "purchase", gone, attributes: new JsonObject { ["event_id"] = $"old-{gone}" }));
        Assert.False((await Http.ReadJsonAsync(again))["duplicate"]!.GetValue<bool>());
    }

    [Fact]
    public async Task AMonthEveryAppInItLetsGoIsDroppedWhole()
    {
        var database = await postgres.CreateMigratedDatabaseAsync("retention_months");
        await using var host = await StartAsync(database);
        var shop = Api(host, PrivacyHost.ShopSecret);
        var (user, product) = (Ids.User(), Ids.Product());
        await shop.IngestAsync(PrivacyHost.Event(product, "view", user, attributes: new JsonObject { ["name"] = "Globe" }));
        await shop.IngestAsync(PrivacyHost.Event(product, "view", user));
        await Eventually.TrueAsync(async () => await EventCountAsync(shop, user) == 2, "the contact");

        var partition = await AgeAsync(database, TimeSpan.FromDays(100), "app_id = 'shop' AND user_id = $1", user);
        Assert.Contains(partition, await PartitionsAsync(database));

        await Eventually.TrueAsync(async () => !(await PartitionsAsync(database)).Contains(partition), $"partition {partition} to be dropped");
        await Eventually.TrueAsync(async () => !(await shop.GetAsync($"/api/v1/contacts/{user}")).IsSuccessStatusCode, "the contact to be rebuilt empty");
        Assert.Empty((await shop.GetJsonAsync($"/api/v1/products/{product}/events"))["results"]!.AsArray());
        var kept = await shop.GetJsonAsync($"/api/v1/products/{product}");
        Assert.Equal("Globe", kept["name"]!.GetValue<string>());
        Assert.Equal(2, kept["event_counts"]!["view"]!.GetValue<long>());
    }

    private static Task<TestHost> StartAsync(string database) =>
        new TestHostBuilder()
            .WithApp(PrivacyHost.Shop, PrivacyHost.ShopSecret)
            .WithApp(PrivacyHost.Other, PrivacyHost.OtherSecret)
            .WithSetting($"ProductEvents:Apps:{PrivacyHost.Shop}:Retention", "P30D")
            .WithSetting("ProductEvents:Retention:Interval", "00:00:01")
            .WithSetting("Orleans:ServiceId", "retention")
            .WithPostgres(database)
            .StartAsync();

    private static ApiClient Api(TestHost host, string key) => new(host.CreateClient(), key);

    private static async Task<long> PurchasesAsync(ApiClient api, string timeline) =>
        (await api.GetJsonAsync(timeline))["counts"]!["series"]!.AsArray()
            .Where(s => s!["event_type"]!.GetValue<string>() == "purchase").Sum(s => s!["total"]!.GetValue<long>());

    private static async Task<long> EventCountAsync(ApiClient api, string user)
    {
        using var response = await api.GetAsync($"/api/v1/contacts/{user}");
        return response.StatusCode == HttpStatusCode.OK ? (await Http.ReadJsonAsync(response))["event_count"]!.GetValue<long>() : 0;
    }

    /// <summary>Moves the matching entries (and their idempotency claims) <paramref name="age"/> into the past; answers their partition.</summary>
    private static async Task<string> AgeAsync(string database, TimeSpan age, string condition, params object[] values)
    {
        await using var db = NpgsqlDataSource.Create(database);
        await using (var partitions = db.CreateCommand("SELECT product_events_ensure_partitions(now() - $1, 1)"))
        {
            partitions.Parameters.Add(new NpgsqlParameter { Value = age });
            await partitions.ExecuteNonQueryAsync();
        }

        await using (var claims = db.CreateCommand(
            $"""
            UPDATE product_event_ids SET received_at = received_at - ${values.Length + 1}
            WHERE (app_id, event_id) IN (SELECT app_id, event_id FROM product_events WHERE ({condition}) AND event_id IS NOT NULL)
            """))
        {
            Add(claims, values, age);
            await claims.ExecuteNonQueryAsync();
        }

        await using var update = db.CreateCommand(
            $"UPDATE product_events SET received_at = received_at - ${values.Length + 1} WHERE {condition} RETURNING tableoid::regclass::text");
        Add(update, values, age);
        var moved = new HashSet<string>();
        await using var reader = await update.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            moved.Add(reader.GetString(0));
        }

        return Assert.Single(moved);
    }

    private static void Add(NpgsqlCommand command, object[] values, TimeSpan age)
    {
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        command.Parameters.Add(new NpgsqlParameter { Value = age });
    }

    private static async Task<List<string>> PartitionsAsync(string database)
    {
        await using var db = NpgsqlDataSource.Create(database);
        await using var command = db.CreateCommand("SELECT partition_name FROM product_events_months()");
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}
