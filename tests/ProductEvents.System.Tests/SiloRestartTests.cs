using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ProductEvents.Testing;

namespace ProductEvents.SystemTests;

[Collection(PostgresFixture.Collection)]
public sealed class SiloRestartTests(PostgresFixture postgres)
{
    [Fact]
    public async Task GracefulRestartKeepsProductsContactsListingsAndDuplicateDetection()
    {
        var connectionString = await postgres.CreateMigratedDatabaseAsync("restart");
        await using var silo = SiloProcess.Create(connectionString);
        await silo.StartAsync();
        using (var api = silo.CreateClient())
        {
            await PostAsync(api, new { event_id = "late-2", product_id = "r-1", user_id = "ru-1", event_type = "view", timestamp = "2026-01-02T10:00:00Z", color = "blue" });
            await PostAsync(api, new { event_id = "late-1", product_id = "r-1", user_id = "ru-1", event_type = "purchase", timestamp = "2026-01-01T10:00:00Z", color = "red", name = "Old name" });
        }

        var load = new EventLoad(silo.CreateClient, clients: 4, products: 20, users: 50, seed: 7);
        using (var stop = new CancellationTokenSource())
        {
            var running = load.RunAsync(stop.Token);
            Assert.True(await load.WaitForAcknowledgedAsync(600, TimeSpan.FromSeconds(60)));
            await stop.CancelAsync();
            await running;
        }

        string[] paths =
        [
            "api/v1/products/r-1", "api/v1/contacts/ru-1", "api/v1/products/r-1/events", "api/v1/contacts/ru-1/product-events",
            "api/v1/product-events?limit=50", "api/v1/product-events?type=purchase&limit=20", "api/v1/products/p-3", "api/v1/contacts/u-7",
        ];
        var before = await ReadAllAsync(silo, paths);

        await silo.StopAsync();
        await silo.StartAsync();

        var after = await ReadAllAsync(silo, paths);
        foreach (var path in paths)
        {
            Assert.Equal(before[path], after[path]);
        }

        using var client = silo.CreateClient();
        using var product = JsonDocument.Parse(after["api/v1/products/r-1"]);
        Assert.Equal("blue", product.RootElement.GetProperty("attributes").GetProperty("color").GetString());
        Assert.Equal("Old name", product.RootElement.GetProperty("name").GetString());

        var (firstId, acknowledged) = load.Acknowledged.First();
        using var again = await client.PostAsJsonAsync("api/v1/product-events", new { event_id = firstId, product_id = "p-0", user_id = "u-0", event_type = "view" });
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        using var answer = JsonDocument.Parse(await again.Content.ReadAsStringAsync());
        Assert.True(answer.RootElement.GetProperty("duplicate").GetBoolean());
        Assert.Equal(acknowledged, answer.RootElement.GetProperty("id").GetString());

        await using var oracle = new LogOracle(connectionString);
        await StateVerification.AssertApiStateEqualsLogAsync(client, oracle, load.ProductIds.Append("r-1"), load.UserIds.Append("ru-1"));
    }

    private static async Task PostAsync(HttpClient api, object body)
    {
        using var response = await api.PostAsJsonAsync("api/v1/product-events", body);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    private static async Task<Dictionary<string, string>> ReadAllAsync(SiloProcess silo, IEnumerable<string> paths)
    {
        using var api = silo.CreateClient();
        var bodies = new Dictionary<string, string>();
        foreach (var path in paths)
        {
            using var response = await api.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
            bodies[path] = (await response.Content.ReadAsStringAsync()).Replace($":{silo.HttpPort}/", ":PORT/", StringComparison.Ordinal);
        }

        return bodies;
    }
}
