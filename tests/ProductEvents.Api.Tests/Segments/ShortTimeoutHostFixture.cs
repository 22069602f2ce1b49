using Microsoft.Extensions.DependencyInjection;
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

    private TestHost? _host;
    private HttpClient? _http;

    public ApiClient Api => new(_http ?? throw new InvalidOperationException("The host is not started."), $"{AppId}-secret");

    public ISegmentMembershipStore Memberships =>
        _host?.Services.GetRequiredService<ISegmentMembershipStore>() ?? throw new InvalidOperationException("The host is not started.");

    public async Task InitializeAsync()
    {
        _host = await new TestHostBuilder()
            .WithApp(AppId, $"{AppId}-secret", $"{AppId}-public")
            .WithResponseTimeout(ResponseTimeout)
            .StartAsync();
        _http = _host.CreateClient(timeout: TimeSpan.FromSeconds(60));
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
