using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ProductEvents.Silo.Hosting;
using ProductEvents.Testing;

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

    private readonly WebApplication _app;

    private AutomationHost(WebApplication app, HttpClient http, HttpClient publicHttp)
    {
        _app = app;
        Http = http;
        PublicHttp = publicHttp;
    }

    public HttpClient Http { get; }

    public HttpClient PublicHttp { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<AutomationHost> StartAsync(FakeTimeProvider? clock = null, string? postgres = null, IDictionary<string, string?>? settings = null)
    {
        var configuration = new Dictionary<string, string?>
        {
            [$"ProductEvents:Apps:{App}:SecretKey"] = Secret,
            [$"ProductEvents:Apps:{App}:PublicKey"] = Public,
            ["Orleans:SiloPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture),
            ["Orleans:GatewayPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture),
            ["Orleans:ClusterId"] = $"tests-{Guid.NewGuid():N}",
            ["Orleans:ServiceId"] = "automation-tests",
            ["ConnectionStrings:Postgres"] = postgres ?? "",
            ["ProductEvents:Deliveries:BaseDelay"] = "00:00:00.050",
            ["ProductEvents:Deliveries:PollInterval"] = "00:00:00.020",
            ["ProductEvents:Webhooks:AllowLoopback"] = "true",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Orleans"] = "Error",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var app = ProductEventsHost.Build(["--urls=http://127.0.0.1:0", "--environment=Development"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(configuration);
            if (clock is not null)
            {
                builder.Services.AddSingleton<TimeProvider>(clock);
            }
        });
        await app.StartAsync();
        var address = new Uri(app.Urls.Single());
        return new AutomationHost(app, Client(address, Secret), Client(address, Public));
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
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static HttpClient Client(Uri address, string key)
    {
        var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", key);
        return http;
    }
}
