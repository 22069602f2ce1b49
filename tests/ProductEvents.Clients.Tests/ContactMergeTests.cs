using System.Net;
using ProductEvents.Clients.Tests.Hosting;

namespace ProductEvents.Clients.Tests;

/// <summary>An anonymous visitor's events become the contact's once the visitor is identified.</summary>
[Collection(HostCollection.Name)]
public sealed class ContactMergeTests(RunningHost host)
{
    private readonly HttpClient _api = host.Client();
    private readonly HttpClient _page = host.Client("dev-public");

    private async Task SendAsync(string sku, string type, string? userId, string? userKey)
    {
        var who = (userId is null ? "" : $"\"user_id\": \"{userId}\", ") + (userKey is null ? "" : $"\"user_key\": \"{userKey}\", ");
        using var response = await _page.PostJsonTextAsync("api/v1/product-events", $$"""{ {{who}} "product_id": "{{sku}}", "event_type": "{{type}}"}""");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    private async Task<Dictionary<string, long>> InteractionsAsync(string userId)
    {
        var contact = await _api.GetJsonAsync($"api/v1/contacts/{userId}");
        return contact["interactions"]!.AsArray().ToDictionary(
            i => $"{i!["product_id"]!.GetValue<string>()}/{i["event_type"]!.GetValue<string>()}", i => i!["count"]!.GetValue<long>());
    }

    [Fact]
    public async Task IdentifyMergesTheVisitorsEarlierAndLaterEventsIntoTheContact()
    {
        var (user, key) = ($"merge-user-{Guid.NewGuid():N}", $"merge-key-{Guid.NewGuid():N}");
        await SendAsync("sku-a", "view", null, key);
        await SendAsync("sku-a", "add to cart", null, key);
        await SendAsync("sku-b", "view", user, null);

        using var identified = await _page.PostJsonTextAsync("api/v1/identify", $$"""{"user_id": "{{user}}", "user_key": "{{key}}"}""");
        Assert.Equal(HttpStatusCode.OK, identified.StatusCode);
        await SendAsync("sku-a", "purchase", null, key);

        var interactions = await InteractionsAsync(user);
        Assert.Equal(1, interactions["sku-a/view"]);
        Assert.Equal(1, interactions["sku-a/add to cart"]);
        Assert.Equal(1, interactions["sku-a/purchase"]);
        Assert.Equal(1, interactions["sku-b/view"]);
        var listed = await _api.GetJsonAsync($"api/v1/contacts/{user}/product-events");
        Assert.Equal(4, listed["results"]!.AsArray().Count);
        var count = await _api.GetJsonAsync($"api/public/users-by-id/{user}/product_events/");
        Assert.Equal(4, count["count"]!.GetValue<long>());
    }

    [Fact]
    public async Task AnEventWithBothIdsMergesTheVisitorOnce()
    {
        var (user, key) = ($"both-user-{Guid.NewGuid():N}", $"both-key-{Guid.NewGuid():N}");
        await SendAsync("sku-c", "view", null, key);
        await SendAsync("sku-c", "liking", null, key);
        await SendAsync("sku-c", "add to cart", user, key);
        await SendAsync("sku-c", "view", user, key);
        using var identifiedAgain = await _page.PostJsonTextAsync("api/v1/identify", $$"""{"user_id": "{{user}}", "user_key": "{{key}}"}""");

        Assert.Equal(HttpStatusCode.OK, identifiedAgain.StatusCode);
        var interactions = await InteractionsAsync(user);
        Assert.Equal(2, interactions["sku-c/view"]);
        Assert.Equal(1, interactions["sku-c/liking"]);
        Assert.Equal(1, interactions["sku-c/add to cart"]);
        Assert.Equal(4, (await _api.GetJsonAsync($"api/v1/contacts/{user}"))["event_count"]!.GetValue<long>());
    }

    [Fact]
    public async Task AVisitorKeyClaimedByOneContactCannotBeIdentifiedAsAnother()
    {
        var key = $"claimed-{Guid.NewGuid():N}";
        using var first = await _page.PostJsonTextAsync("api/v1/identify", $$"""{"user_id": "first-{{key}}", "user_key": "{{key}}"}""");
        using var second = await _page.PostJsonTextAsync("api/v1/identify", $$"""{"user_id": "second-{{key}}", "user_key": "{{key}}"}""");
        using var incomplete = await _page.PostJsonTextAsync("api/v1/identify", """{"user_key": "k"}""");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, incomplete.StatusCode);
        Assert.Contains("user_id", (await incomplete.ReadAsync())["errors"]!.AsObject().Select(e => e.Key));
    }
}
