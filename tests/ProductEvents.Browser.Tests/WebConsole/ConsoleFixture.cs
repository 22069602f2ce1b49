using Microsoft.Playwright;
using ProductEvents.Testing;

namespace ProductEvents.Browser.Tests.WebConsole;

/// <summary>
/// A host of its own for the console (app <c>demo</c>, loopback webhooks allowed, a delivery dead after two quick
/// attempts), a webhook receiver on 127.0.0.1 and one headless Chromium.
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    public const string SecretKey = "console-secret";

    private TestHost? _host;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public TestHost Host => _host ?? throw new InvalidOperationException("The host has not started.");

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser has not started.");

    public WebhookReceiver Receiver { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Receiver = await WebhookReceiver.StartAsync();
        _host = await new TestHostBuilder()
            .WithApp("demo", SecretKey, "console-public")
            .WithSetting("ProductEvents:Webhooks:AllowLoopback", "true")
            .WithSetting("ProductEvents:Deliveries:MaxAttempts", "2")
            .WithSetting("ProductEvents:Deliveries:BaseDelay", "00:00:00.050")
            .WithSetting("ProductEvents:Deliveries:PollInterval", "00:00:00.050")
            .StartAsync();
        (_playwright, _browser) = await BrowserFixture.LaunchChromiumAsync();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        await Receiver.DisposeAsync();
    }

    /// <summary>A client that sends the app's secret key.</summary>
    public HttpClient Client() => Host.CreateClient(SecretKey, timeout: TimeSpan.FromSeconds(100));
}
