using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ProductEvents.Silo.Hosting;

namespace ProductEvents.Clients.Tests.Hosting;

/// <summary>
/// The real single-process host (silo and API, embedded default, Development) on free loopback ports. Apps:
/// <c>demo</c> (the demo shop's), <c>shop</c> (pages on http://shop.test and http://localhost:8123) and <c>other</c> (pages on http://other.test).
/// </summary>
public sealed class RunningHost : IAsyncLifetime
{
    public const string ShopOrigin = "http://shop.test";
    public const string OtherOrigin = "http://other.test";

    /// <summary>A shop origin on this machine (a secure context for the browser), allowed for app <c>shop</c>.</summary>
    public const string LocalShopOrigin = "http://localhost:8123";

    private WebApplication? _app;

    public Uri BaseAddress { get; private set; } = null!;

    public WebApplication App => _app ?? throw new InvalidOperationException("The host has not started.");

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Orleans:SiloPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orleans:GatewayPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orleans:ClusterId"] = "clients-tests-" + Guid.NewGuid().ToString("N"),
            ["ProductEvents:Apps:demo:SecretKey"] = "dev-secret",
            ["ProductEvents:Apps:demo:PublicKey"] = "dev-public",
            ["ProductEvents:Apps:shop:SecretKey"] = "shop-secret",
            ["ProductEvents:Apps:shop:PublicKey"] = "shop-public",
            ["ProductEvents:Apps:shop:AllowedOrigins:0"] = ShopOrigin,
            ["ProductEvents:Apps:shop:AllowedOrigins:1"] = LocalShopOrigin,
            ["ProductEvents:Apps:other:SecretKey"] = "other-secret",
            ["ProductEvents:Apps:other:PublicKey"] = "other-public",
            ["ProductEvents:Apps:other:AllowedOrigins:0"] = OtherOrigin,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        _app = ProductEventsHost.Build(
            ["--urls=http://127.0.0.1:0", "--environment=Development"],
            builder => builder.Configuration.AddInMemoryCollection(settings));
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    /// <summary>A client that sends <c>Authorization: Token key</c>, or no key when null.</summary>
    public HttpClient Client(string? key = "dev-secret")
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", key);
        }

        return client;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
