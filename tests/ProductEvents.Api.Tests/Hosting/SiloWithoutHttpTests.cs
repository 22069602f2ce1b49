using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ProductEvents.Abstractions.Segments;
using ProductEvents.Silo.Deliveries;

namespace ProductEvents.Api.Tests.Hosting;

/// <summary><c>ProductEvents:Http:Enabled=false</c>: the silo opens no HTTP port and keeps its grains and background services.</summary>
public sealed class SiloWithoutHttpTests
{
    [Fact]
    public async Task SiloWithoutHttpListensOnNothingAndStillRunsGrainsAndTheDeliveryWorker()
    {
        await using var app = new TestHostBuilder().WithSetting("ProductEvents:Http:Enabled", "false").Build();
        await app.StartAsync();

        Assert.Empty(app.Urls);
        Assert.Contains(app.Services.GetServices<IHostedService>(), service => service is DeliveryWorker);
        var registry = app.Services.GetRequiredService<IGrainFactory>().GetGrain<ISegmentRegistryGrain>("no-http");
        Assert.Empty(await registry.ListAsync());
        var created = await registry.CreateAsync("carts", """{"event":{"types":["add to cart"]}}""");
        Assert.NotNull(await registry.GetAsync(created.Segment!.Id));

        await app.StopAsync();
    }
}
