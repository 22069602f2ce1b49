using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using ProductEvents.Testing;

namespace ProductEvents.Browser.Tests.WebConsole;

/// <summary>
/// The console on a server with analytics off: the analytics parts of its pages say "not available", nothing shows an
/// error, and a contact's page takes its segments and events from their own endpoints.
/// </summary>
public sealed class ConsoleWithoutAnalyticsTests : IAsyncLifetime
{
    private const string SecretKey = "no-analytics-secret";

    private readonly List<string> _browserErrors = [];
    private TestHost _host = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _host = await new TestHostBuilder()
            .WithApp("plain", SecretKey)
            .WithSetting("ProductEvents:Ingest:Analytics", "false")
            .StartAsync();
        (_playwright, _browser) = await BrowserFixture.LaunchChromiumAsync();
    }

    public async Task DisposeAsync()
    {
        await _browser.CloseAsync();
        _playwright.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task EveryPageOpensAndItsAnalyticsPartsSayNotAvailable()
    {
        var (user, product) = ($"plain-user-{Guid.NewGuid():N}", $"plain-product-{Guid.NewGuid():N}");
        using (var client = _host.CreateClient(SecretKey))
        using (var posted = await client.PostAsJsonAsync("api/v1/product-events", new JsonObject { ["product_id"] = product, ["event_type"] = "view", ["user_id"] = user }))
        {
            Assert.True(posted.IsSuccessStatusCode, await posted.Content.ReadAsStringAsync());
        }

        var page = await _browser.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        BrowserFixture.CollectErrors(page, _browserErrors);
        await page.GotoAsync(new Uri(_host.Address, "console/").ToString());
        await page.FillAsync("#key", SecretKey);
        await page.ClickAsync("#sign-in button[type=submit]");
        await page.WaitForSelectorAsync("main[data-page=overview] .not-available");
        Assert.Contains("Counts over time", await page.Locator("main .not-available").First.TextContentAsync());

        await page.EvaluateAsync("hash => { location.hash = hash; }", $"#/products/{product}");
        await page.WaitForSelectorAsync("main[data-page=products] #product-chart .not-available");
        await page.ClickAsync("#product-search-form button[type=submit]");
        await page.WaitForSelectorAsync("#product-search-results .not-available");

        await page.EvaluateAsync("hash => { location.hash = hash; }", $"#/contacts/{user}");
        await page.WaitForSelectorAsync("main[data-page=contacts] #contact-events");
        Assert.Contains(product, await page.Locator("#contact-events").TextContentAsync());
        Assert.Contains("Events (newest 50)", await page.Locator("main").TextContentAsync());

        Assert.Equal(0, await page.Locator("main .error").CountAsync());
        // The browser reports each 404 itself; each is an analytics endpoint's.
        Assert.NotEmpty(_browserErrors);
        Assert.All(_browserErrors, e => Assert.Matches("status of 404 .*/api/v1/(analytics/|products/search)", e));
    }
}
