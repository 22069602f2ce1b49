using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ProductEvents.Testing;

/// <summary>A real HTTP server on 127.0.0.1 that records every webhook; it answers 500 to the first <see cref="FailNext"/> requests.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _failNext;

    private WebhookReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    public Uri Url { get; private set; } = null!;

    /// <summary>How many of the next requests get a 500.</summary>
    public int FailNext
    {
        get => Volatile.Read(ref _failNext);
        set => Volatile.Write(ref _failNext, value);
    }

    public IReadOnlyList<ReceivedWebhook> Delivered => [.. Received.Where(r => r.AnsweredStatus == 200)];

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", async (HttpContext http) =>
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer);
            var body = buffer.ToArray();
            var status = Interlocked.Decrement(ref receiver._failNext) >= 0 ? 500 : 200;
            receiver.Received.Enqueue(new ReceivedWebhook(
                body, JsonNode.Parse(body)!.AsObject(), http.Request.Headers["X-ProductEvents-Signature"], http.Request.Headers["X-ProductEvents-Delivery"], status));
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        receiver.Url = new Uri(new Uri(app.Urls.Single()), "/hook");
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
