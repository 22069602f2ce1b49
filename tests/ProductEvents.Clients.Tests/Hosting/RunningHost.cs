using Microsoft.AspNetCore.Builder;

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

    private TestHost? _host;

    public Uri BaseAddress => Host.Address;

    public WebApplication App => Host.App;

    private TestHost Host => _host ?? throw new InvalidOperationException("The host has not started.");

    public async Task InitializeAsync() =>
        _host = await new TestHostBuilder()
            .WithApp("demo", "dev-secret", "dev-public")
            .WithApp("shop", "shop-secret", "shop-public", ShopOrigin, LocalShopOrigin)
            .WithApp("other", "other-secret", "other-public", OtherOrigin)
            .StartAsync();

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    /// <summary>A client that sends <c>Authorization: Token key</c>, or no key when null.</summary>
    public HttpClient Client(string? key = "dev-secret") => Host.CreateClient(key, timeout: TimeSpan.FromSeconds(100));
}
