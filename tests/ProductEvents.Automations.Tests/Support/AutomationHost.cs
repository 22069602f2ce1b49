using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace ProductEvents.Automations.Tests.Support;

/// <summary>
/// The real single-process host on free ports, with app "shop" (secret and public key). With a
/// <see cref="FakeTimeProvider"/> the tests move time; with a connection string it runs in durable mode.
/// </summary>
public sealed class AutomationHost : IAsyncDisposable
{
    public const string App = "shop";
    public const string Secret = "shop-secret-4a1f";
    public const string Public = "shop-public-8c2e";

    private readonly TestHost _host;

    private AutomationHost(TestHost host)
    {
        _host = host;
        Http = host.CreateClient(Secret);
        PublicHttp = host.CreateClient(Public);
    }

    public HttpClient Http { get; }

    public HttpClient PublicHttp { get; }

    public IServiceProvider Services => _host.Services;

    public static async Task<AutomationHost> StartAsync(FakeTimeProvider? clock = null, string? postgres = null, IDictionary<string, string?>? settings = null)
    {
        var host = new TestHostBuilder()
            .WithApp(App, Secret, Public)
            .WithSetting("Orleans:ServiceId", "automation-tests")
            .WithSetting("ProductEvents:Deliveries:BaseDelay", "00:00:00.050")
            .WithSetting("ProductEvents:Deliveries:PollInterval", "00:00:00.020")
            .WithSetting("ProductEvents:Webhooks:AllowLoopback", "true")
            .WithSettings(settings ?? new Dictionary<string, string?>());
        if (clock is not null)
        {
            host.WithTimeProvider(clock);
        }

        if (postgres is not null)
        {
            host.WithPostgres(postgres);
        }

        return new AutomationHost(await host.StartAsync());
    }

    /// <summary>Ingests one product event and answers its assigned id.</summary>
    public async Task PostEventAsync(string userId, string productId, string eventType, DateTimeOffset timestamp, JsonObject? attributes = null)
    {
        var body = new JsonObject
        {
            ["product_id"] = productId,
            ["event_type"] = eventType,
            ["user_id"] = userId,
            ["timestamp"] = timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in attributes ?? [])
        {
            body[key] = value?.DeepClone();
        }

        using var response = await Http.PostAsJsonAsync("/api/v1/product-events", body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<string> CreateAutomationAsync(JsonObject definition)
    {
        using var response = await Http.PostAsJsonAsync("/api/v1/automations", definition);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonNode.Parse(text)!["id"]!.GetValue<string>();
    }

    public async Task<JsonArray> RunsAsync(string automationId) =>
        (await Http.GetFromJsonAsync<JsonObject>($"/api/v1/automations/{automationId}/runs"))!["results"]!.AsArray();

    public async Task<JsonArray> DeliveriesAsync(string? status = null) =>
        (await Http.GetFromJsonAsync<JsonObject>("/api/v1/deliveries" + (status is null ? "" : $"?status={status}")))!["results"]!.AsArray();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        PublicHttp.Dispose();
        await _host.DisposeAsync();
    }
}
