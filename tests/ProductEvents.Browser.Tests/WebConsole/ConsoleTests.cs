using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using ProductEvents.Api.WebConsole;
using ProductEvents.Testing;

namespace ProductEvents.Browser.Tests.WebConsole;

/// <summary>
/// The web console in headless Chromium: sign-in, every page, a segment built from the page, a funnel and a contact search
/// answered as the API answers them, a dead letter retried.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleTests(ConsoleFixture fixture) : IAsyncLifetime
{
    private static readonly string[] Pages = ["overview", "segments", "automations", "campaigns", "deliveries", "products", "contacts", "funnels"];

    // Generous: the machine running the tests is often busy; each wait ends as soon as its condition holds.
    private static readonly PageWaitForFunctionOptions Patiently = new() { Timeout = 60_000, PollingInterval = 50 };

    private readonly List<string> _browserErrors = [];
    private IBrowserContext _context = null!;

    public async Task InitializeAsync() => _context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
    {
        ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
    });

    public async Task DisposeAsync() => await _context.CloseAsync();

    private async Task<IPage> OpenAsync()
    {
        var page = await _context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        BrowserFixture.CollectErrors(page, _browserErrors);
        await page.GotoAsync(new Uri(fixture.Host.Address, "console/").ToString());
        return page;
    }

    private async Task<IPage> SignedInAsync()
    {
        var page = await OpenAsync();
        await page.FillAsync("#key", ConsoleFixture.SecretKey);
        await page.ClickAsync("#sign-in button[type=submit]");
        await page.WaitForSelectorAsync("main[data-page=overview] #tail-table");
        return page;
    }

    private static Task GoToAsync(IPage page, string hash, string name) =>
        page.EvaluateAsync("hash => { location.hash = hash; }", hash)
            .ContinueWith(_ => page.WaitForSelectorAsync($"main[data-page={name}] h2")).Unwrap();

    private async Task<JsonNode> PostAsync(string path, JsonNode body)
    {
        using var client = fixture.Client();
        using var response = await client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    private async Task<JsonNode> GetAsync(string path)
    {
        using var client = fixture.Client();
        return JsonNode.Parse(await client.GetStringAsync(path))!;
    }

    /// <summary>An event; its other keys are the product's attributes.</summary>
    private Task PostEventAsync(string userId, string productId, string type, string? tag = null) =>
        PostAsync("api/v1/product-events", new JsonObject
        {
            ["product_id"] = productId,
            ["event_type"] = type,
            ["user_id"] = userId,
            ["name"] = $"Product {productId}",
            ["tag"] = tag,
        });

    [Fact]
    public async Task ThePageNeedsNoKeyAndIsServedWithAStrictContentSecurityPolicy()
    {
        using var anonymous = fixture.Host.CreateClient(key: null);
        foreach (var file in new[] { "console/", "console/app.js", "console/chart.umd.min.js" })
        {
            using var response = await anonymous.GetAsync(file);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(ConsolePage.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
        }

        using var data = await anonymous.GetAsync("api/v1/segments");
        Assert.Equal(HttpStatusCode.Unauthorized, data.StatusCode);
    }

    [Fact]
    public async Task AWrongKeyShowsTheApisMessageAndTheRightKeyShowsTheOverview()
    {
        using var wrong = fixture.Host.CreateClient("not-a-key");
        var problem = JsonNode.Parse(await (await wrong.GetAsync("api/v1/event-types")).Content.ReadAsStringAsync())!;

        var page = await OpenAsync();
        await page.FillAsync("#key", "not-a-key");
        await page.ClickAsync("#sign-in button[type=submit]");
        var error = await page.WaitForSelectorAsync("#sign-in-error .error");
        Assert.Contains(problem["title"]!.GetValue<string>(), await error!.InnerTextAsync());
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('productevents-console-key')"));

        await page.FillAsync("#key", ConsoleFixture.SecretKey);
        await page.ClickAsync("#sign-in button[type=submit]");
        await page.WaitForSelectorAsync("main[data-page=overview] #tail-table");
        Assert.Equal(ConsoleFixture.SecretKey, await page.EvaluateAsync<string>("() => sessionStorage.getItem('productevents-console-key')"));
        Assert.DoesNotContain(_browserErrors, e => !e.Contains("api/v1/event-types", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EveryPageOpensWithoutAnError()
    {
        var product = $"console-page-{Guid.NewGuid():N}";
        var user = $"console-user-{Guid.NewGuid():N}";
        await PostEventAsync(user, product, "view", "shoes");
        var page = await SignedInAsync();
        await page.WaitForFunctionAsync($"p => document.querySelector('#tail-table').textContent.includes(p)", product, Patiently);

        foreach (var name in Pages)
        {
            await GoToAsync(page, $"#/{name}", name);
        }

        await GoToAsync(page, $"#/products/{product}", "products");
        await page.WaitForFunctionAsync("() => document.querySelector('#product-attributes') && document.querySelector('#product-attributes').textContent.includes('tag')", null, Patiently);
        await GoToAsync(page, $"#/contacts/{user}", "contacts");
        await page.WaitForFunctionAsync("p => document.querySelector('#contact-events') && document.querySelector('#contact-events').textContent.includes(p)", product, Patiently);
        Assert.Contains("Journey (newest 50 events, in time order)", await page.Locator("main").TextContentAsync());
        Assert.Contains("No run.", await page.Locator("main").TextContentAsync());

        Assert.Equal(0, await page.Locator("main .error").CountAsync());
        Assert.True(_browserErrors.Count == 0, string.Join("\n", _browserErrors));
    }

    [Fact]
    public async Task ASegmentWithABadConditionShowsTheErrorNextToTheFieldAndAGoodOneCountsItsMembers()
    {
        var tag = $"tag-{Guid.NewGuid():N}";
        var page = await SignedInAsync();
        await GoToAsync(page, "#/segments", "segments");

        await page.FillAsync("#segment-name", $"Bought {tag}");
        await page.FillAsync("#segment-condition", """{"event": {"types": ["no such type"]}}""");
        await page.ClickAsync("#segment-form button[type=submit]");
        var error = await page.WaitForSelectorAsync("#segment-condition-error .field-error");
        Assert.Contains("condition.event.types[0]", await error!.InnerTextAsync());
        Assert.Equal(0, await page.Locator("#segment-name-error .field-error").CountAsync());

        await page.FillAsync("#segment-condition", Condition(tag).ToJsonString());
        await page.ClickAsync("#segment-form button[type=submit]");
        await page.WaitForSelectorAsync("#segment-count");
        var segmentId = await page.EvaluateAsync<string>("() => decodeURIComponent(location.hash.split('/')[2])");

        for (var i = 0; i < 3; i++)
        {
            await PostEventAsync($"{tag}-buyer-{i}", $"{tag}-product", "purchase", tag);
        }

        await PostEventAsync($"{tag}-viewer", $"{tag}-product", "view", tag);
        // The page writes the count, then reads the members: the table follows the count by one request.
        await page.WaitForFunctionAsync(
            "() => document.querySelector('#segment-count').textContent === '3' && document.querySelector('#segment-status').textContent === 'ready'"
            + " && document.querySelectorAll('#members-table tbody tr').length === 3",
            null, Patiently);
        Assert.Equal(3, (await GetAsync($"api/v1/segments/{segmentId}/count"))["count"]!.GetValue<int>());

        await GoToAsync(page, "#/segments", "segments");
        await page.WaitForFunctionAsync("t => document.querySelector('#segments-table') && document.querySelector('#segments-table').textContent.includes(t)", tag, Patiently);
    }

    private static JsonObject Condition(string tag) => new()
    {
        ["event"] = new JsonObject { ["types"] = new JsonArray("purchase"), ["product"] = new JsonObject { ["tag"] = new JsonObject { ["eq"] = tag } } },
    };

    [Fact]
    public async Task ADeadLetterRetriedFromTheConsoleIsDelivered()
    {
        var product = $"console-dead-{Guid.NewGuid():N}";
        var automation = await PostAsync("api/v1/automations", new JsonObject
        {
            ["name"] = $"Dead letter {product}",
            ["trigger"] = new JsonObject { ["event"] = new JsonObject { ["types"] = new JsonArray("add to cart"), ["product"] = new JsonObject { ["product_id"] = new JsonObject { ["eq"] = product } } } },
            ["wait"] = "PT0S",
            ["action"] = new JsonObject { ["webhook"] = new JsonObject { ["url"] = fixture.Receiver.Url.ToString(), ["secret"] = "whsec-console", ["template"] = "{{ product.name }}" } },
        });
        var automationId = automation["id"]!.GetValue<string>();
        fixture.Receiver.FailNext = 2;
        await PostEventAsync($"{product}-user", product, "add to cart");

        var dead = await Eventually.ReturnsAsync(
            async () => (await GetAsync("api/v1/deliveries?status=dead"))["results"]!.AsArray()
                .FirstOrDefault(d => d!["automation_id"]?.GetValue<string>() == automationId),
            d => d is not null,
            what: "the delivery to be dead", within: TimeSpan.FromSeconds(90));
        var id = dead!["id"]!.GetValue<string>();

        var page = await SignedInAsync();
        await GoToAsync(page, "#/deliveries/dead", "deliveries");
        await page.ClickAsync($"#deliveries-table button.retry[data-id='{id}']");
        await page.WaitForFunctionAsync("id => document.querySelector('#delivery-message').textContent.includes(id)", id, Patiently);

        var delivered = await Eventually.ReturnsAsync(
            () => GetAsync($"api/v1/deliveries/{id}"), d => d["status"]!.GetValue<string>() == "delivered",
            what: "the retried delivery to be delivered", within: TimeSpan.FromSeconds(90));
        Assert.Equal(2, fixture.Receiver.Received.Count(r => r.DeliveryId == id && r.AnsweredStatus == 500));
        Assert.Single(fixture.Receiver.Delivered, r => r.DeliveryId == id);

        await GoToAsync(page, "#/deliveries/delivered", "deliveries");
        await page.WaitForFunctionAsync("id => document.querySelector('#deliveries-table') && document.querySelector('#deliveries-table').textContent.includes(id)", id, Patiently);
        await GoToAsync(page, $"#/automations/{automationId}", "automations");
        await page.WaitForSelectorAsync("#runs-table");
    }

    [Fact]
    public async Task AFunnelBuiltOnThePageShowsTheNumbersTheApiAnswers()
    {
        var tag = $"funnel-{Guid.NewGuid():N}";
        for (var i = 0; i < 4; i++)
        {
            await PostEventAsync($"{tag}-{i}", $"{tag}-product", "view", tag);
        }

        await PostEventAsync($"{tag}-0", $"{tag}-product", "add to cart", tag);
        await PostEventAsync($"{tag}-1", $"{tag}-product", "add to cart", tag);
        await PostEventAsync($"{tag}-0", $"{tag}-product", "purchase", tag);
        var filter = new JsonObject { ["tag"] = new JsonObject { ["eq"] = tag } };
        var definition = new JsonObject
        {
            ["steps"] = new JsonArray(
                new JsonObject { ["types"] = new JsonArray("view"), ["product"] = filter.DeepClone() },
                new JsonObject { ["types"] = new JsonArray("add to cart"), ["product"] = filter.DeepClone() },
                new JsonObject { ["types"] = new JsonArray("purchase"), ["product"] = filter.DeepClone() }),
            ["within"] = "P1D",
        };
        var answer = await Eventually.ReturnsAsync(
            () => PostAsync("api/v1/analytics/funnels", definition), a => a["steps"]![2]!["contacts"]!.GetValue<int>() == 1, "the purchase in the funnel");
        Assert.Equal([4, 2, 1], answer["steps"]!.AsArray().Select(s => s!["contacts"]!.GetValue<int>()));

        var page = await SignedInAsync();
        await GoToAsync(page, "#/funnels", "funnels");
        await page.FillAsync("#funnel-definition", definition.ToJsonString());
        await page.ClickAsync("#funnel-form button[type=submit]");
        await page.WaitForSelectorAsync("#funnel-table");

        var cells = await page.Locator("#funnel-table tbody tr").EvaluateAllAsync<string[][]>(
            "rows => rows.map(r => [...r.querySelectorAll('td')].map(td => td.textContent))");
        Assert.Equal(["4", "2", "1"], cells.Select(row => row[1]));
        Assert.Equal(["", "50.0 %", "50.0 %"], cells.Select(row => row[2]));
        Assert.Equal(1, await page.Locator("#funnel-result canvas").CountAsync());
        Assert.True(_browserErrors.Count == 0, string.Join("\n", _browserErrors));
    }

    [Fact]
    public async Task AContactSearchOnThePageListsTheContactsTheApiFinds()
    {
        var tag = $"search-{Guid.NewGuid():N}";
        await PostEventAsync($"{tag}-buyer-a", $"{tag}-product", "purchase", tag);
        await PostEventAsync($"{tag}-buyer-b", $"{tag}-product", "purchase", tag);
        await PostEventAsync($"{tag}-viewer", $"{tag}-product", "view", tag);
        await Eventually.ReturnsAsync(
            () => PostAsync("api/v1/contacts/search", new JsonObject { ["condition"] = Condition(tag) }),
            a => a["total"]!.GetValue<int>() == 2, "the two buyers");

        var page = await SignedInAsync();
        await GoToAsync(page, "#/contacts", "contacts");
        await page.FillAsync("#search-condition", Condition(tag).ToJsonString());
        await page.ClickAsync("#search-form button[type=submit]");
        await page.WaitForSelectorAsync("#search-table");

        var found = await page.Locator("#search-table tbody tr td:first-child").AllTextContentsAsync();
        Assert.Equal([$"{tag}-buyer-a", $"{tag}-buyer-b"], found.Order());
        Assert.Contains("2 contacts", await page.Locator("#search-results p").First.TextContentAsync());
        Assert.True(_browserErrors.Count == 0, string.Join("\n", _browserErrors));
    }

    [Fact]
    public async Task AProductSearchOnThePageListsTheProductsTheApiFindsAndShowsAFilterErrorNextToTheField()
    {
        var tag = $"psearch-{Guid.NewGuid():N}";
        await PostEventAsync($"{tag}-u1", $"{tag}-a", "view", tag);
        await PostEventAsync($"{tag}-u2", $"{tag}-a", "view", tag);
        await PostEventAsync($"{tag}-u1", $"{tag}-b", "view", tag);
        var answer = await Eventually.ReturnsAsync(
            () => PostAsync("api/v1/products/search", new JsonObject { ["text"] = tag }),
            a => a["total"]!.GetValue<int>() == 2, "the two products");

        var page = await SignedInAsync();
        await GoToAsync(page, "#/products", "products");
        await page.FillAsync("#product-search-text", tag);
        await page.ClickAsync("#product-search-form button[type=submit]");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#product-search-table tbody tr').length === 2", null, Patiently);

        var found = await page.Locator("#product-search-table tbody tr td:first-child").AllTextContentsAsync();
        Assert.Equal(answer["results"]!.AsArray().Select(p => p!["product_id"]!.GetValue<string>()), found);
        Assert.Equal([$"{tag}-a", $"{tag}-b"], found);
        Assert.Contains("2 products", await page.Locator("#product-search-total").TextContentAsync());
        Assert.True(_browserErrors.Count == 0, string.Join("\n", _browserErrors));

        await page.FillAsync("#product-search-filters", """{"tag": {"bogus": 1}}""");
        await page.ClickAsync("#product-search-form button[type=submit]");
        await page.WaitForFunctionAsync("() => document.querySelector('#product-search-filters-error').textContent.includes('unknown operator')", null, Patiently);
        Assert.Contains("product.tag.bogus", await page.Locator("#product-search-filters-error").TextContentAsync());

        // The browser reports the 400 itself; nothing else went wrong.
        Assert.All(_browserErrors, e => Assert.Contains("status of 400", e, StringComparison.Ordinal));
        Assert.All(_browserErrors, e => Assert.Contains("api/v1/products/search", e, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheOverviewScreenshotIsSavedWhenAsked()
    {
        var path = Environment.GetEnvironmentVariable("PRODUCTEVENTS_CONSOLE_SCREENSHOT");
        var shopper = $"shopper-{Guid.NewGuid():N}"[..16];
        foreach (var (product, type) in new[] { ("sku-runner-42", "view"), ("sku-runner-42", "add to cart"), ("sku-mug", "view"), ("sku-mug", "purchase") })
        {
            await PostEventAsync(shopper, product, type);
        }

        var page = await SignedInAsync();
        await page.WaitForSelectorAsync("#overview-totals");
        await page.WaitForFunctionAsync("u => document.querySelector('#tail-table').textContent.includes(u)", shopper, Patiently);
        if (!string.IsNullOrEmpty(path))
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        }

        Assert.True(_browserErrors.Count == 0, string.Join("\n", _browserErrors));
    }
}
