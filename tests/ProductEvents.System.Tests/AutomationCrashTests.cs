using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ProductEvents.Testing;

namespace ProductEvents.SystemTests;

/// <summary>Runs waiting when the silo is killed with SIGKILL fire once each, on the next silo, with the product they name.</summary>
[Collection(PostgresFixture.Collection)]
public sealed class AutomationCrashTests(PostgresFixture postgres)
{
    private const int Users = 30;

    /// <summary>A process on a busy machine, a PostgreSQL coming back: generous.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task RunsWaitingAcrossAKillFireOnceEach()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var silo = SiloProcess.Create(await postgres.CreateMigratedDatabaseAsync("autokill"));
        await silo.StartAsync();
        string automation;
        using (var api = silo.CreateClient())
        {
            var created = await api.PostAsJsonAsync("api/v1/automations", new JsonObject
            {
                ["name"] = "cart reminder",
                ["trigger"] = new JsonObject { ["event"] = new JsonObject { ["types"] = new JsonArray("add to cart") } },
                ["wait"] = "PT8S",
                ["action"] = new JsonObject { ["webhook"] = new JsonObject { ["url"] = receiver.Url.ToString(), ["secret"] = "s", ["template"] = "{{ product.name }}" } },
            });
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
            automation = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();

            // One silo: its registry refreshed the silo's definitions when the automation was created.
            var events = new JsonArray([.. Enumerable.Range(0, Users).Select(i => (JsonNode)new JsonObject
            {
                ["product_id"] = $"p-{i % 3}", ["name"] = $"Product {i % 3}", ["event_type"] = "add to cart", ["user_id"] = $"k-{i}",
            })]);
            var sent = await api.PostAsJsonAsync("api/v1/product-events/batch", new JsonObject { ["events"] = events });
            Assert.True(sent.IsSuccessStatusCode, await sent.Content.ReadAsStringAsync());
            await Eventually.TrueAsync(async () => (await WaitingAsync(api, automation)) == Users, "every run waiting", Deadline);
        }

        await silo.KillAsync();
        Assert.Empty(receiver.Received);
        await silo.StartAsync();

        await Eventually.TrueAsync(() => receiver.Received.Count >= Users, "a webhook per run after the restart", Deadline);
        using (var api = silo.CreateClient())
        {
            // Every run ended and every webhook recorded as delivered: nothing is left that could send again.
            await Eventually.TrueAsync(async () => (await WaitingAsync(api, automation)) == 0, "no run waiting", Deadline);
            await Eventually.TrueAsync(async () => (await DeliveriesAsync(api, "delivered")) == Users && (await DeliveriesAsync(api, "pending")) == 0,
                "every delivery recorded", Deadline);
        }

        var received = receiver.Received.ToList();
        Assert.Equal(Users, received.Count);
        Assert.Equal(Users, received.Select(r => r.DeliveryId).Distinct().Count());
        Assert.Equal(
            Enumerable.Range(0, Users).Select(i => ($"k-{i}", $"Product {i % 3}")).Order(),
            received.Select(r => (r.Json["user_id"]!.GetValue<string>(), r.Json["message"]!.GetValue<string>())).Order());
    }

    private static async Task<int> WaitingAsync(HttpClient api, string automation)
    {
        var runs = await api.GetFromJsonAsync<JsonObject>($"api/v1/automations/{automation}/runs?status=waiting&limit=1000");
        return runs!["results"]!.AsArray().Count;
    }

    private static async Task<int> DeliveriesAsync(HttpClient api, string status)
    {
        var deliveries = await api.GetFromJsonAsync<JsonObject>($"api/v1/deliveries?status={status}&limit=1000");
        return deliveries!["results"]!.AsArray().Count;
    }
}
