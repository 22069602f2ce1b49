using System.Globalization;
using Microsoft.AspNetCore.Builder;
using ProductEvents.Api.Tests.Support;

namespace ProductEvents.Api.Tests.Segments;

/// <summary>
/// One real host for the segment tests, with an app for each test (segments are per app, up to 100, and every segment of
/// an app evaluates every contact of it), handed out by <see cref="NewApp"/>.
/// </summary>
public sealed class SegmentHostFixture : IAsyncLifetime
{
    private const int AppCount = 80;

    private WebApplication? _app;
    private HttpClient? _http;
    private int _nextApp;

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?>();
        for (var i = 0; i < AppCount; i++)
        {
            settings[$"ProductEvents:Apps:{AppId(i)}:SecretKey"] = $"{AppId(i)}-secret";
            settings[$"ProductEvents:Apps:{AppId(i)}:PublicKey"] = $"{AppId(i)}-public";
        }

        _app = TestHost.Build("Development", settings);
        await _app.StartAsync();
        _http = new HttpClient { BaseAddress = TestHost.Address(_app), Timeout = TimeSpan.FromSeconds(30) };
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
