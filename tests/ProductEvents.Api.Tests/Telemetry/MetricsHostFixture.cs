using Microsoft.AspNetCore.Builder;

namespace ProductEvents.Api.Tests.Telemetry;

/// <summary>A Development host (operator endpoints open) with the app <see cref="App"/>, for the metrics tests.</summary>
public sealed class MetricsHostFixture : IAsyncLifetime
{
    public const string App = "metrics";

    private WebApplication? _app;

    public HttpClient Api { get; private set; } = null!;

    public HttpClient Anonymous { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _app = TelemetryHost.Build("Development", App);
        await _app.StartAsync();
        Api = TelemetryHost.Client(_app, TelemetryHost.SecretKey(App));
        Anonymous = TelemetryHost.Client(_app);
    }

    public async Task DisposeAsync()
    {
        Api?.Dispose();
        Anonymous?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
