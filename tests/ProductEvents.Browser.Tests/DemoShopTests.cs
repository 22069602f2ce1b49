using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using ProductEvents.Clients.Tests.Hosting;

namespace ProductEvents.Browser.Tests;

/// <summary>The demo shop and the SDK in headless Chromium; every outcome is checked through the API.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DemoShopTests(BrowserFixture fixture) : IAsyncLifetime
{
    private IBrowserContext _context = null!;

    private Uri Base => fixture.Host.BaseAddress;

    public async Task InitializeAsync() => _context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
    {
        ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
    });

    public async Task DisposeAsync() => await _context.CloseAsync();

    private async Task<IPage> OpenDemoAsync(string? initScript = null)
    {
        var page = await _context.NewPageAsync();
        if (initScript is not null)
        {
            await page.AddInitScriptAsync(initScript);
        }

        await page.GotoAsync(new Uri(Base, "demo/").ToString());
        await page.WaitForFunctionAsync("() => window.userengage && window.userengage.loaded === true");
        return page;
    }

    private async Task<string> VisitorKeyAsync() => (await _context.CookiesAsync()).Single(c => c.Name == "pe_uk").Value;

    private async Task<JsonNode> GetAsync(string path, string key = "dev-secret")
    {
        using var client = new HttpClient { BaseAddress = Base };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", key);
        using var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? JsonNode.Parse(text)! : new JsonObject { ["status"] = (int)response.StatusCode };
    }

    private Task<JsonArray> EventsOfVisitorAsync(string userKey, int count, string key = "dev-secret") =>
        Eventually.ReturnsAsync(
            async () => (await GetAsync($"api/v1/product-events?user_key={userKey}&limit=100", key))["results"]?.AsArray() ?? [],
            events => events.Count >= count,
            what: $"{count} events of visitor {userKey}");

    private static JsonNode Single(JsonArray events, string productId, string type) =>
        events.Single(e => e!["product_id"]!.GetValue<string>() == productId && e["event_type"]!.GetValue<string>() == type)!;

    [Fact]
    public async Task ClicksArriveWithTheirTypeProductAttributesAndVisitor()
    {
        var page = await OpenDemoAsync();
        var visitor = await VisitorKeyAsync();

        await page.ClickAsync("#view-sku-runner-42");   // onclick="userengage('product_event', {...})"
        await page.ClickAsync("#cart-sku-runner-42");
        await page.ClickAsync("#buy-sku-mug");          // data-pe-event="purchase" data-pe-attr-* data-pe-attrs
        await page.ClickAsync("#like-sku-tee-m");       // data-pe-event="liking"
        await page.ClickAsync("#view-sku-daypack");     // <a href="#" onclick=...>

        var events = await EventsOfVisitorAsync(visitor, 5);
        Assert.Equal(5, events.Count);
        Assert.All(events, e => Assert.Null(e!["user_id"]));

        var view = Single(events, "sku-runner-42", "view");
        Assert.Equal("Trail Runner 42", view["name"]!.GetValue<string>());
        Assert.Equal("shoes", view["attributes"]!["category"]!.GetValue<string>());
        Assert.Equal(89.9, view["attributes"]!["price"]!.GetValue<double>());
        var cart = Single(events, "sku-runner-42", "add to cart");
        Assert.Equal(1, cart["event_type_id"]!.GetValue<int>());
        Assert.Equal("42", cart["attributes"]!["size"]!.GetValue<string>());
        Assert.Equal(1, cart["custom_data"]!["quantity"]!.GetValue<int>());
        var purchase = Single(events, "sku-mug", "purchase");
        Assert.Equal("Enamel Mug", purchase["name"]!.GetValue<string>());
        Assert.Equal("kitchen", purchase["attributes"]!["category"]!.GetValue<string>());
        Assert.True(purchase["attributes"]!["discounted"]!.GetValue<bool>());
        Assert.Equal(12.5, purchase["attributes"]!["price"]!.GetValue<double>());
        Assert.Equal("Organic Tee M", Single(events, "sku-tee-m", "liking")["name"]!.GetValue<string>());
        Assert.Equal("bags", Single(events, "sku-daypack", "view")["attributes"]!["category"]!.GetValue<string>());

        var product = await GetAsync("api/v1/products/sku-mug");
        Assert.Equal(12.5, product["attributes"]!["price"]!.GetValue<double>());

        // The panel shows the contact's interactions, read through the Development-only demo endpoint.
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#contact tr').length >= 6");
        Assert.Contains("sku-mug", await page.InnerTextAsync("#contact"));

        var screenshot = Environment.GetEnvironmentVariable("PRODUCTEVENTS_DEMO_SCREENSHOT");
        if (!string.IsNullOrEmpty(screenshot))
        {
            await page.ClickAsync("#cart-sku-mug");
            await page.WaitForFunctionAsync("() => document.querySelector('#product-name') && document.querySelector('#product-name').textContent === 'Enamel Mug'");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        }
    }

    [Fact]
    public async Task AVisitorJoinsASegmentCreatedFromThePageAndSeesIt()
    {
        var page = await OpenDemoAsync();
        var visitor = await VisitorKeyAsync();

        await page.ClickAsync("#segment-interested-in-shoes");
        await page.WaitForFunctionAsync("() => document.querySelector('#app-segments').textContent.includes('Interested in shoes')");
        await page.ClickAsync("#view-sku-runner-42");

        await page.WaitForFunctionAsync("() => document.querySelector('#my-segments') && document.querySelector('#my-segments').textContent.includes('Interested in shoes')");
        var segment = (await GetAsync("api/v1/segments")).AsArray().Single(s => s!["name"]!.GetValue<string>() == "Interested in shoes")!;
        var members = await Eventually.ReturnsAsync(
            async () => (await GetAsync($"api/v1/segments/{segment["id"]!.GetValue<string>()}/members?limit=1000"))["results"]?.AsArray() ?? [],
            results => results.Any(m => m!["user_key"]?.GetValue<string>() == visitor),
            what: $"visitor {visitor} among the segment's members");
        Assert.Contains(members, m => m!["user_key"]?.GetValue<string>() == visitor);
    }

    [Fact]
    public async Task AnAnonymousVisitorsEventsBecomeTheContactsAfterLogIn()
    {
        var page = await OpenDemoAsync();
        var visitor = await VisitorKeyAsync();
        var user = $"browser-user-{Guid.NewGuid():N}";
        await page.ClickAsync("#view-sku-tee-m");
        await page.ClickAsync("#cart-sku-tee-m");
        await EventsOfVisitorAsync(visitor, 2);

        await page.FillAsync("#user-id", user);
        await page.ClickAsync("#login-button");
        await page.ClickAsync("#buy-sku-tee-m");

        var contact = await Eventually.ReturnsAsync(
            () => GetAsync($"api/v1/contacts/{user}"),
            c => c["event_count"]?.GetValue<long>() == 3,
            what: "the contact to hold the visitor's events and its own");
        var interactions = contact["interactions"]!.AsArray().Select(i => i!["event_type"]!.GetValue<string>()).Order().ToArray();
        Assert.Equal(["add to cart", "purchase", "view"], interactions);
        var purchase = Single(await EventsOfVisitorAsync(visitor, 3), "sku-tee-m", "purchase");
        Assert.Equal(user, purchase["user_id"]!.GetValue<string>());
        Assert.Equal(user, await page.InnerTextAsync("#who-user"));
    }

    [Fact]
    public async Task CallsMadeBeforeTheScriptLoadedAreQueuedThenSentFromAnotherOrigin()
    {
        var releaseSdk = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // The page is fulfilled by the test, so Chromium takes it for a public site reaching a loopback API.
        await _context.GrantPermissionsAsync(["local-network-access"], new BrowserContextGrantPermissionsOptions { Origin = RunningHost.LocalShopOrigin });
        var page = await _context.NewPageAsync();
        await page.RouteAsync("**/sdk.js", async route =>
        {
            await releaseSdk.Task;
            await route.ContinueAsync();
        });
        var sku = $"queued-{Guid.NewGuid():N}";
        var html = $$"""
            <!doctype html><html><head>
            <script>
              window.productEvents = {endpoint: '{{Base.ToString().TrimEnd('/')}}', publicKey: 'shop-public'};
              window.userengage = window.userengage || function () { (window.userengage.q = window.userengage.q || []).push(arguments); };
              userengage('product_event', {product_id: '{{sku}}', event_type: 'view', name: 'Queued', colour: 'blue'});
              userengage('product_event', {product_id: '{{sku}}', event_type: 'add_to_cart'});
            </script>
            <script async src="{{Base}}sdk.js"></script>
            </head><body>shop</body></html>
            """;
        await page.RouteAsync($"{RunningHost.LocalShopOrigin}/**", route => route.FulfillAsync(new RouteFulfillOptions { ContentType = "text/html", Body = html }));
        await page.GotoAsync($"{RunningHost.LocalShopOrigin}/product.html", new PageGotoOptions { WaitUntil = WaitUntilState.DOMContentLoaded });

        Assert.Equal(2, await page.EvaluateAsync<int>("() => window.userengage.q.length"));
        Assert.False(await page.EvaluateAsync<bool>("() => window.userengage.loaded === true"));
        releaseSdk.SetResult();

        var events = await Eventually.ReturnsAsync(
            async () => (await GetAsync($"api/v1/products/{sku}/events", "shop-secret"))["results"]?.AsArray() ?? [],
            e => e.Count == 2,
            what: "the two queued events");
        Assert.Equal("blue", Single(events, sku, "view")["attributes"]!["colour"]!.GetValue<string>());
        Assert.Equal(1, Single(events, sku, "add to cart")["event_type_id"]!.GetValue<int>());
    }

    [Fact]
    public async Task EventsClickedWhileTheApiWasUnreachableArriveOnceItIsBack()
    {
        const string fastRetries = "window.productEvents = {retryDelay: 100, retryMaxDelay: 400};";
        var page = await OpenDemoAsync(fastRetries);
        var visitor = await VisitorKeyAsync();
        var refused = 0;
        const string ingest = "**/api/v1/product-events/**";
        await _context.RouteAsync(ingest, route =>
        {
            Interlocked.Increment(ref refused);
            return route.AbortAsync("connectionrefused");
        });

        await page.ClickAsync("#view-sku-daypack");
        await page.ClickAsync("#buy-sku-daypack");
        await Eventually.ReturnsAsync(() => Task.FromResult(Volatile.Read(ref refused)), n => n >= 3, what: "three refused attempts");
        Assert.Equal(2, await page.EvaluateAsync<int>("() => Object.keys(localStorage).filter(k => k.startsWith('pe:')).length"));

        // A new page of the same visitor takes over what the first could not send.
        await page.CloseAsync();
        var next = await OpenDemoAsync(fastRetries);
        Assert.Equal(2, await next.EvaluateAsync<int>("() => window.userengage.pending()"));
        await _context.UnrouteAsync(ingest);

        var events = await EventsOfVisitorAsync(visitor, 2);
        Assert.Equal(2, events.Count);
        Assert.Equal("Day Pack 20L", Single(events, "sku-daypack", "purchase")["name"]!.GetValue<string>());
        await next.WaitForFunctionAsync("() => window.userengage.pending() === 0 && Object.keys(localStorage).filter(k => k.startsWith('pe:')).length === 0");
    }

    [Fact]
    public async Task AServiceUnavailableAnswerIsRetriedAfterItsRetryAfter()
    {
        var page = await OpenDemoAsync("window.productEvents = {retryDelay: 100};");
        var visitor = await VisitorKeyAsync();
        var answered503 = 0;
        await page.RouteAsync("**/api/v1/product-events/batch", async route =>
        {
            if (Interlocked.Increment(ref answered503) == 1)
            {
                await route.FulfillAsync(new RouteFulfillOptions
                {
                    Status = 503,
                    ContentType = "application/problem+json",
                    Headers = new Dictionary<string, string> { ["Retry-After"] = "1" },
                    Body = """{"title": "Event storage unavailable", "status": 503}""",
                });
                return;
            }

            await route.ContinueAsync();
        });

        var clicked = DateTime.UtcNow;
        await page.ClickAsync("#like-sku-runner-42");
        var events = await EventsOfVisitorAsync(visitor, 1);

        Assert.Equal("liking", events.Single()!["event_type"]!.GetValue<string>());
        Assert.True(Volatile.Read(ref answered503) >= 2);
        Assert.True(DateTime.UtcNow - clicked >= TimeSpan.FromSeconds(0.9), "the retry waited for Retry-After");
    }
}
