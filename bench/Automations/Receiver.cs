using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace ProductEvents.Bench.Automations;

/// <summary>A local webhook receiver: when each run's webhook arrived, by user id, on the same clock as the sender.</summary>
public sealed class Receiver(WebApplication app)
{
    public ConcurrentDictionary<string, DateTimeOffset> Arrivals { get; } = new(StringComparer.Ordinal);

    public Uri Url { get; private set; } = null!;

    public static async Task<Receiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new Receiver(app);
        app.MapPost("/hook", async (HttpContext http) =>
        {
            var at = Clock.Now;
            var body = await JsonNode.ParseAsync(http.Request.Body);
            receiver.Arrivals.TryAdd(body!["user_id"]!.GetValue<string>(), at);
            return Results.Ok();
        });
        await app.StartAsync();
        receiver.Url = new Uri(new Uri(app.Urls.Single()), "/hook");
        return receiver;
    }

    public Task StopAsync() => app.StopAsync();
}
