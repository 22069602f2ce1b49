using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using ProductEvents.Automations.Tests.Support;
using ProductEvents.Testing;

namespace ProductEvents.Automations.Tests.Flows;

[CollectionDefinition(PostgresFixture.Collection)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>;

/// <summary>
/// Durable mode: a run waiting when the silo stops is fired once by the next silo on the same database (its reminder
/// and state are in PostgreSQL), and the delivery is in the outbox table.
/// </summary>
[Collection(PostgresFixture.Collection)]
public sealed class DurableRestartTests(PostgresFixture postgres)
{
    [Fact]
    public async Task RunWaitingAcrossASiloRestartFiresOnce()
    {
        var database = await postgres.CreateMigratedDatabaseAsync("restart");
        await using var receiver = await WebhookReceiver.StartAsync();
        var user = $"u-{Guid.NewGuid():N}";
        string automation;
        await using (var first = await AutomationHost.StartAsync(postgres: database))
        {
            automation = await first.CreateAutomationAsync(Definitions.AbandonedCart(receiver.Url, wait: "PT2S"));
            await first.PostEventAsync(user, "p-1", "add to cart", DateTimeOffset.UtcNow, new JsonObject { ["name"] = "Red Shoe", ["price"] = 5 });
            await Eventually.TrueAsync(async () => (await first.RunsAsync(automation)).Count == 1, "the run to wait");
        }

        Assert.Empty(receiver.Received);
        await using var second = await AutomationHost.StartAsync(postgres: database);
        await Eventually.TrueAsync(() => receiver.Delivered.Count == 1, "the webhook after the restart", TimeSpan.FromSeconds(90));
        await Eventually.TrueAsync(async () => (await second.DeliveriesAsync("delivered")).Count == 1, "the delivery to be recorded");
        var run = Assert.Single(await second.RunsAsync(automation));
        Assert.Equal("fired", run!["status"]!.GetValue<string>());
        Assert.Equal("Red Shoe", receiver.Delivered[0].Json["product"]!["name"]!.GetValue<string>());
        Assert.Single(receiver.Received);
    }

    [Fact]
    public async Task EventsReceivedBeforeAnAutomationExistedDoNotTriggerItWhenARestartReplaysThem()
    {
        var database = await postgres.CreateMigratedDatabaseAsync("before_created");
        await using var receiver = await WebhookReceiver.StartAsync();
        var user = $"u-{Guid.NewGuid():N}";
        string automation;
        await using (var first = await AutomationHost.StartAsync(postgres: database))
        {
            await first.PostEventAsync(user, "p-old-1", "add to cart", DateTimeOffset.UtcNow, new JsonObject { ["name"] = "Old 1" });
            await first.PostEventAsync(user, "p-old-2", "add to cart", DateTimeOffset.UtcNow, new JsonObject { ["name"] = "Old 2" });
            await Eventually.TrueAsync(async () => await EventCountAsync(first, user) >= 2, "the contact to apply its events");
            automation = await first.CreateAutomationAsync(Definitions.AbandonedCart(receiver.Url, wait: "PT0S"));
        }

        // What a kill -9 leaves behind: the entries in the log, and no snapshot of the contact that applied them. (A
        // stop writes none for a contact with two unsaved entries either; whatever an earlier write left goes here.)
        await using (var db = NpgsqlDataSource.Create(database))
        {
            await using var delete = db.CreateCommand("DELETE FROM orleans_storage WHERE grain_id_extension LIKE '%' || $1");
            delete.Parameters.Add(new NpgsqlParameter { Value = "/u/" + user });
            await delete.ExecuteNonQueryAsync();
        }

        await using var second = await AutomationHost.StartAsync(postgres: database);
        await second.PostEventAsync(user, "p-new", "add to cart", DateTimeOffset.UtcNow, new JsonObject { ["name"] = "New" });
        await Eventually.TrueAsync(() => receiver.Delivered.Count >= 1, "the webhook of the event after the automation", TimeSpan.FromSeconds(60));
        await Eventually.TrueAsync(async () => await EventCountAsync(second, user) >= 3, "the contact to replay its events");

        var run = Assert.Single(await second.RunsAsync(automation));
        Assert.Equal("p-new", run!["trigger"]!["product_id"]!.GetValue<string>());
        Assert.Equal("New", Assert.Single(receiver.Received).Json["product"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task ASegmentChangeRecordedWithoutWakingItsTriggerStartsItsRunAfterARestart()
    {
        var database = await postgres.CreateMigratedDatabaseAsync("sweep");
        await using var receiver = await WebhookReceiver.StartAsync();
        var user = $"u-{Guid.NewGuid():N}";
        string segment, automation;
        await using (var first = await AutomationHost.StartAsync(postgres: database))
        {
            using var created = await first.Http.PostAsJsonAsync("/api/v1/segments", new JsonObject
            {
                ["name"] = "viewers",
                ["condition"] = new JsonObject { ["event"] = new JsonObject { ["types"] = new JsonArray("view") } },
            });
            segment = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
            automation = await first.CreateAutomationAsync(new JsonObject
            {
                ["name"] = "On join",
                ["trigger"] = new JsonObject { ["segment"] = new JsonObject { ["id"] = segment, ["on"] = "join" } },
                ["action"] = Definitions.Webhook(receiver.Url, "{{ contact.user_id }} joined"),
            });
        }

        // What a silo killed right after writing a membership change leaves behind: the change, and no trigger woken.
        await using (var db = NpgsqlDataSource.Create(database))
        {
            await using var insert = db.CreateCommand(
                "INSERT INTO segment_changes (app_id, segment_id, contact_key, joined, at) VALUES ($1, $2, $3, true, now())");
            insert.Parameters.Add(new NpgsqlParameter { Value = AutomationHost.App });
            insert.Parameters.Add(new NpgsqlParameter { Value = segment });
            insert.Parameters.Add(new NpgsqlParameter { Value = "u/" + user });
            await insert.ExecuteNonQueryAsync();
        }

        await using var second = await AutomationHost.StartAsync(postgres: database);
        await Eventually.TrueAsync(() => receiver.Delivered.Count == 1, "the run of the recorded join", TimeSpan.FromSeconds(60));
        Assert.Equal($"{user} joined", receiver.Delivered[0].Json["message"]!.GetValue<string>());
        Assert.Equal(automation, receiver.Delivered[0].Json["automation_id"]!.GetValue<string>());
    }

    private static async Task<long> EventCountAsync(AutomationHost host, string user)
    {
        using var response = await host.Http.GetAsync($"/api/v1/contacts/{user}");
        return response.IsSuccessStatusCode ? JsonNode.Parse(await response.Content.ReadAsStringAsync())!["event_count"]!.GetValue<long>() : 0;
    }
}
