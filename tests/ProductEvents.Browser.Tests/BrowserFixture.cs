using Microsoft.Playwright;
using ProductEvents.Clients.Tests.Hosting;

namespace ProductEvents.Browser.Tests;

/// <summary>
/// The running host and one headless Chromium: Debian's <c>chromium</c> package at /usr/bin/chromium, driven by
/// Playwright (its own browser download is not used). Missing Chromium fails every test of the collection.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public RunningHost Host { get; } = new();

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser has not started.");

    public async Task InitializeAsync()
    {
        await Host.InitializeAsync();
        (_playwright, _browser) = await LaunchChromiumAsync();
    }

    /// <summary>
    /// Adds to <paramref name="errors"/> what the page reports as an error (a script refused by the Content-Security-Policy,
    /// a module that fails to load, a failed request) or throws.
    /// </summary>
    public static void CollectErrors(IPage page, List<string> errors)
    {
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add($"{message.Text} {message.Location}");
            }
        };
        page.PageError += (_, error) => errors.Add(error);
    }

    /// <summary>Debian's Chromium, headless, driven by Playwright; fails with what to install when it is missing.</summary>
    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchChromiumAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Chromium is missing at {ChromiumPath}: the browser tests need Debian's chromium package (apt-get install -y chromium).");
        }

        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
        return (playwright, browser);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        await Host.DisposeAsync();
    }
}
