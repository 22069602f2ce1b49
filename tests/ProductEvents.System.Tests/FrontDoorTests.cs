using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using ProductEvents.Testing;

namespace ProductEvents.SystemTests;

/// <summary>
/// The cluster split in two: a silo that serves no HTTP and a front door process that serves the API as an Orleans
/// client of it, both on the same PostgreSQL with the same ids.
/// </summary>
[Collection(PostgresFixture.Collection)]
public sealed class FrontDoorTests(PostgresFixture postgres)
{
    private const string ClusterId = "front-door-tests";

    [Fact]
    public async Task FrontDoorServesTheApiOfASiloWithoutHttp()
    {
        var connectionString = await postgres.CreateMigratedDatabaseAsync("frontdoor");
        await using var silo = SiloProcess.Create(connectionString);
        silo.HttpEnabled = false;
        silo.Environment["Orleans__ClusterId"] = ClusterId;
        silo.Environment["Logging__LogLevel__ProductEvents.Startup"] = "Information";
        await silo.StartAsync();

        // What the silo printed about its cluster at start-up, and that it opened no HTTP port.
        await Eventually.TrueAsync(() => Messages(silo.Output()).Contains("HTTP is off", StringComparison.Ordinal), "the silo says HTTP is off");
        var startup = Messages(silo.Output());
        Assert.Contains($"cluster id '{ClusterId}'", startup, StringComparison.Ordinal);
        Assert.Contains($"silo port {silo.SiloPort}, gateway port {silo.GatewayPort}, advertised address 127.0.0.1", startup, StringComparison.Ordinal);
        using (var socket = new Socket(SocketType.Stream, ProtocolType.Tcp))
        {
            var refused = await Assert.ThrowsAsync<SocketException>(async () => await socket.ConnectAsync(IPAddress.Loopback, silo.HttpPort));
            Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        }

        await using var frontDoor = new FrontDoorProcess(connectionString);
        frontDoor.Environment["Orleans__ClusterId"] = ClusterId;
        frontDoor.Environment["Logging__LogLevel__ProductEvents.Startup"] = "Information";
        await frontDoor.StartAsync();
        using var api = frontDoor.CreateClient();

        var segmentId = await InClusterClientTests.CreateSegmentAsync(api, "carts", """{"event":{"types":["add to cart"]}}""");
        await InClusterClientTests.SendAsync(api, new { product_id = "lamp", user_id = "eve", event_type = "add to cart", name = "Desk lamp" });
        await InClusterClientTests.SendAsync(api, new { product_id = "lamp", user_id = "fay", event_type = "view" });

        // Reads through the front door see its own writes at once: the answer came after the commit, the read waits
        // for the grains (in the silo) to hold it.
        var product = await api.GetFromJsonAsync<JsonElement>("api/v1/products/lamp");
        Assert.Equal("Desk lamp", product.GetProperty("name").GetString());
        var contact = await api.GetFromJsonAsync<JsonElement>("api/v1/contacts/eve");
        Assert.Equal(1, contact.GetProperty("event_count").GetInt32());

        var members = await Eventually.ReturnsAsync(
            async () => (await api.GetFromJsonAsync<JsonElement>($"api/v1/segments/{segmentId}/members")).GetProperty("results")
                .EnumerateArray().Select(m => m.GetProperty("user_id").GetString()!).ToArray(),
            m => m.Length == 1, "eve is a member");
        Assert.Equal(["eve"], members);

        Assert.Equal(0, await frontDoor.StopAsync());
        Assert.Contains($"cluster id '{ClusterId}'", Messages(frontDoor.Output()), StringComparison.Ordinal);
    }

    /// <summary>The messages of the JSON log lines a Production process prints.</summary>
    private static string Messages(string output) => string.Join('\n', output.Split('\n')
        .Where(line => line.StartsWith('{'))
        .Select(line => JsonDocument.Parse(line).RootElement.TryGetProperty("Message", out var message) ? message.GetString() : null));
}
