using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using ProductEvents.Abstractions.Segments;
using ProductEvents.Api.Tests.Support;
using ProductEvents.Storage.Segments;

namespace ProductEvents.Api.Tests.Segments;

/// <summary>
/// A real host whose grain calls time out after <see cref="ResponseTimeout"/> instead of Orleans' 30 s: a call that
/// waits on a call cycle fails within the test instead of stalling it.
/// </summary>
public sealed class ShortTimeoutHostFixture : IAsyncLifetime
{
    public const string AppId = "busy";

    public static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(4);

    private WebApplication? _app;
    private HttpClient? _http;

    public ApiClient Api => new(_http ?? throw new InvalidOperationException("The host is not started."), $"{AppId}-secret");

    public ISegmentMembershipStore Memberships =>
        _app?.Services.GetRequiredService<ISegmentMembershipStore>() ?? throw new InvalidOperationException("The host is not started.");

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            [$"ProductEvents:Apps:{AppId}:SecretKey"] = $"{AppId}-secret",
            [$"ProductEvents:Apps:{AppId}:PublicKey"] = $"{AppId}-public",
        };
        _app = TestHost.Build("Development", settings, builder =>
        {
            builder.Services.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = ResponseTimeout);
            builder.Services.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = ResponseTimeout);
        });
        await _app.StartAsync();
        _http = new HttpClient { BaseAddress = TestHost.Address(_app), Timeout = TimeSpan.FromSeconds(60) };
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
