using System.Globalization;
using ProductEvents.Api.Tests.Support;

namespace ProductEvents.Api.Tests.Segments;

/// <summary>
/// One real host for the segment tests, with an app for each test (segments are per app, up to 100, and every segment of
/// an app evaluates every contact of it), handed out by <see cref="NewApp"/>.
/// </summary>
public sealed class SegmentHostFixture : IAsyncLifetime
{
    private const int AppCount = 80;

    private TestHost? _host;
    private HttpClient? _http;
    private int _nextApp;

    public async Task InitializeAsync()
    {
        var host = new TestHostBuilder();
        for (var i = 0; i < AppCount; i++)
        {
            host.WithApp(AppId(i), $"{AppId(i)}-secret", $"{AppId(i)}-public");
        }

        _host = await host.StartAsync();
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

    /// <summary>An app no other test uses: its secret-key client, public-key client and id.</summary>
    public SegmentApp NewApp()
    {
        var i = Interlocked.Increment(ref _nextApp) - 1;
        if (i >= AppCount)
        {
            throw new InvalidOperationException($"The segment host has {AppCount} apps; give it more.");
        }

        return new SegmentApp(AppId(i), Client($"{AppId(i)}-secret"), Client($"{AppId(i)}-public"));
    }

    public ApiClient Client(string? key) => new(_http ?? throw new InvalidOperationException("The host is not started."), key);

    private static string AppId(int i) => "seg-" + i.ToString("D2", CultureInfo.InvariantCulture);
}
