using System.Text.Json.Nodes;
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
}
