using Microsoft.AspNetCore.Builder;

namespace ProductEvents.Api.Tests.Support;

/// <summary>
/// One real host (silo and API over HTTP) shared by a collection of tests, with apps alpha, beta and gamma; in memory
/// here, on PostgreSQL in <see cref="PostgresHostFixture"/>.
/// </summary>
public class HostFixture : IAsyncLifetime
{
    private TestHost? _host;
    private HttpClient? _http;

    public TestHost Host => _host ?? throw new InvalidOperationException("The host is not started.");

    public WebApplication App => Host.App;

    public Uri Address => Host.Address;

    /// <summary>Alpha's secret key: full access to app alpha.</summary>
    public ApiClient Alpha => Client(Keys.AlphaSecret);

    public ApiClient AlphaPublic => Client(Keys.AlphaPublic);

    public ApiClient Beta => Client(Keys.BetaSecret);

    public ApiClient Anonymous => Client(null);

    protected virtual StorageMode Storage => StorageMode.InMemory;

    public ApiClient Client(string? key, string scheme = "Token") =>
        new(_http ?? throw new InvalidOperationException("The host is not started."), key, scheme);

    public async Task InitializeAsync()
    {
        _host = await new TestHostBuilder().WithSettings(Keys.Settings()).WithStorage(Storage).StartAsync();
        _http = _host.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
