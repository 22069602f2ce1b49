using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProductEvents.Abstractions.Automations;
using ProductEvents.Automations.Tests.Support;
using ProductEvents.Storage.Automations;

namespace ProductEvents.Automations.Tests.Flows;

/// <summary>
/// What the delivery worker does with a receiver's answer (receivers on 127.0.0.1, allowed by the test host): a redirect
/// is a failure naming it and is not followed; a body that never ends is read up to its cap, and the 200 counts.
/// </summary>
public sealed class WebhookAnswerTests : IAsyncLifetime
{
    private AutomationHost _host = null!;
    private WebApplication _receiver = null!;
    private Uri _address = null!;
    private int _landed;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _receiver = builder.Build();
        _receiver.MapPost("/moved", () => Results.Redirect("/landed", permanent: false, preserveMethod: true));
        _receiver.MapPost("/landed", () =>
        {
            Interlocked.Increment(ref _landed);
            return Results.Ok();
        });
        _receiver.MapPost("/endless", async (HttpContext http) =>
        {
            http.Response.ContentType = "text/plain";
            var chunk = new byte[16 * 1024];
            while (!http.RequestAborted.IsCancellationRequested)
            {
                await http.Response.Body.WriteAsync(chunk, http.RequestAborted);
            }
        });
        await _receiver.StartAsync();
        _address = new Uri(_receiver.Urls.Single());
        _host = await AutomationHost.StartAsync(settings: new Dictionary<string, string?> { ["ProductEvents:Deliveries:MaxAttempts"] = "2" });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _receiver.StopAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task RedirectIsAFailureNamingItAndIsNotFollowed()
    {
        var id = await EnqueueAsync("/moved");

        var dead = await DeliveryAsync(id, "dead");

        Assert.Contains("HTTP 307", dead["last_error"]!.GetValue<string>());
        Assert.Contains("redirects are not followed", dead["last_error"]!.GetValue<string>());
        Assert.Equal(0, Volatile.Read(ref _landed));
    }

    [Fact]
    public async Task EndlessBodyAfterA200IsCutAtTheCapAndTheDeliveryCounts()
    {
        var id = await EnqueueAsync("/endless");

        var delivered = await DeliveryAsync(id, "delivered");

        Assert.Equal(1, delivered["attempts"]!.GetValue<int>());
    }

    private async Task<string> EnqueueAsync(string path)
    {
        var id = $"dlv_answer_{Guid.NewGuid():N}";
        var now = DateTimeOffset.UtcNow;
        await _host.Services.GetRequiredService<IDeliveryOutbox>().EnqueueAsync([new Delivery(id, AutomationHost.App, "aut_answer", "run_" + id, null,
            new Uri(_address, path).ToString(), "{}", "sha256=00", DeliveryStatus.Pending, 0, now, null, now, now)]);
        return id;
    }

    private Task<System.Text.Json.Nodes.JsonNode> DeliveryAsync(string id, string status) =>
        Eventually.GetAsync(
            async () => (await _host.DeliveriesAsync(status)).FirstOrDefault(d => d!["id"]!.GetValue<string>() == id),
            $"delivery {id} to be {status}",
            TimeSpan.FromSeconds(60));
}
