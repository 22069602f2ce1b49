using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using ProductEvents.Api.Tests.Support;

namespace ProductEvents.Api.Tests.Privacy;

/// <summary>
/// A durable host (its own throwaway PostgreSQL) with app "shop", a second app "other" and a webhook receiver on
/// loopback: what erasure and export tests drive. Each test uses its own ids.
/// </summary>
public sealed class PrivacyHost : IAsyncLifetime
{
    public const string Shop = "shop";
    public const string ShopSecret = "shop-secret-e41d";
    public const string Other = "other";
    public const string OtherSecret = "other-secret-7a0b";

    private TestHost? _host;
    private HttpClient? _http;

    public WebhookReceiver Receiver { get; private set; } = null!;

    public TestHost Host => _host ?? throw new InvalidOperationException("The host is not started.");

    public ApiClient Api => new(_http!, ShopSecret);

    public ApiClient OtherApi => new(_http!, OtherSecret);

    public async Task InitializeAsync()
    {
        Receiver = await WebhookReceiver.StartAsync();
        _host = await new TestHostBuilder()
            .WithApp(Shop, ShopSecret)
            .WithApp(Other, OtherSecret)
            .WithStorage(StorageMode.Postgres)
            .WithSetting("ProductEvents:Webhooks:AllowLoopback", "true")
            .WithSetting("ProductEvents:Deliveries:PollInterval", "00:00:00.020")
            .StartAsync();
        _http = _host.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        await Receiver.DisposeAsync();
    }

    public static JsonObject Event(string productId, string eventType, string? userId, string? userKey = null, JsonObject? attributes = null)
    {
        var body = new JsonObject { ["product_id"] = productId, ["event_type"] = eventType };
        if (userId is not null)
        {
            body["user_id"] = userId;
        }

        if (userKey is not null)
        {
            body["user_key"] = userKey;
        }

        foreach (var (key, value) in attributes ?? [])
        {
            body[key] = value?.DeepClone();
        }

        return body;
    }

    /// <summary>A segment condition: viewed this product.</summary>
    public static string ViewedCondition(string productId) => EventCondition("view", productId);

    /// <summary>A segment condition: an event of this type on this product.</summary>
    public static string EventCondition(string eventType, string productId) => new JsonObject
    {
        ["event"] = new JsonObject
        {
            ["types"] = new JsonArray(eventType),
            ["product"] = new JsonObject { ["product_id"] = new JsonObject { ["eq"] = productId } },
        },
    }.ToJsonString();

    /// <summary>Waits until the contact has applied <paramref name="events"/> events.</summary>
    public Task ContactHasAsync(ApiClient api, string userId, int events) =>
        Eventually.TrueAsync(async () =>
        {
            using var response = await api.GetAsync($"/api/v1/contacts/{Uri.EscapeDataString(userId)}");
            return response.IsSuccessStatusCode && (await Http.ReadJsonAsync(response))["event_count"]!.GetValue<long>() == events;
        }, $"contact {userId} to have {events} events");

    /// <summary>An automation on events of one product only, so the tests sharing the host do not start each other's runs.</summary>
    public async Task<string> CreateAutomationAsync(string name, string productId, string wait, string triggerType = "add to cart", bool capped = false)
    {
        var definition = new JsonObject
        {
            ["name"] = name,
            ["trigger"] = new JsonObject
            {
                ["event"] = new JsonObject
                {
                    ["types"] = new JsonArray(triggerType),
                    ["product"] = new JsonObject { ["product_id"] = new JsonObject { ["eq"] = productId } },
                },
            },
            ["wait"] = wait,
            ["action"] = new JsonObject
            {
                ["webhook"] = new JsonObject { ["url"] = Receiver.Url.ToString(), ["secret"] = "whsec-privacy", ["template"] = "{{ contact.user_id }} {{ product.name }}" },
            },
        };
        if (capped)
        {
            definition["frequency_cap"] = new JsonObject { ["max"] = 1, ["per"] = "P1D" };
        }

        using var response = await Api.PostJsonAsync("/api/v1/automations", definition);
        var json = await Http.ReadJsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, json.ToJsonString());
        return json["id"]!.GetValue<string>();
    }

    public async Task<JsonArray> RunsAsync(string automationId) =>
        (await Api.GetJsonAsync($"/api/v1/automations/{automationId}/runs"))["results"]!.AsArray();

    public async Task<JsonArray> DeliveriesAsync() =>
        (await Api.GetJsonAsync("/api/v1/deliveries?limit=1000"))["results"]!.AsArray();

    /// <summary>Erases the contact and asserts it was done within the request; answers the erasure.</summary>
    public async Task<JsonNode> EraseAsync(string userId)
    {
        using var response = await Api.DeleteAsync($"/api/v1/contacts/{Uri.EscapeDataString(userId)}");
        var json = await Http.ReadJsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {json}");
        Assert.Equal("done", json["status"]!.GetValue<string>());
        return json;
    }

    /// <summary>Rows of Orleans' grain storage whose grain key names <paramref name="text"/> (a contact's snapshot, its caps).</summary>
    public async Task<long> GrainRowsNamingAsync(string text)
    {
        await using var db = Npgsql.NpgsqlDataSource.Create(Host.Postgres.ConnectionString);
        await using var command = db.CreateCommand("SELECT count(*) FROM orleans_storage WHERE strpos(grain_id_extension, $1) > 0");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = text });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
