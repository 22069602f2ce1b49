using Microsoft.AspNetCore.Builder;

namespace ProductEvents.Api.Tests.Support;

/// <summary>One real host (silo and API over HTTP) shared by a collection of tests, with apps alpha, beta and gamma.</summary>
public sealed class HostFixture : IAsyncLifetime
{
    private WebApplication? _app;
    private HttpClient? _http;

    public WebApplication App => _app ?? throw new InvalidOperationException("The host is not started.");

    public Uri Address { get; private set; } = null!;

    /// <summary>Alpha's secret key: full access to app alpha.</summary>
    public ApiClient Alpha => Client(Keys.AlphaSecret);

    public ApiClient AlphaPublic => Client(Keys.AlphaPublic);

    public ApiClient Beta => Client(Keys.BetaSecret);

    public ApiClient Anonymous => Client(null);

    public ApiClient Client(string? key, string scheme = "Token") =>
        new(_http ?? throw new InvalidOperationException("The host is not started."), key, scheme);

    public async Task InitializeAsync()
    {
        _app = TestHost.Build("Development", Keys.Settings());
        await _app.StartAsync();
        Address = TestHost.Address(_app);
        _http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
