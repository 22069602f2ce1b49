using System.Net;
using ProductEvents.Api.Tests.Support;

namespace ProductEvents.Api.Tests.Access;

[Collection(HostCollection.Name)]
public sealed class AuthTests(HostFixture host)
{
    public static TheoryData<string> ReadPaths => new()
    {
        "/api/v1/product-events",
        "/api/v1/products/sku-auth",
        "/api/v1/products/sku-auth/events",
        "/api/v1/contacts/user-auth",
        "/api/v1/contacts/user-auth/product-events",
        "/api/v1/event-types",
    };

    [Theory]
    [MemberData(nameof(ReadPaths))]
    public async Task ReadWithoutKeyIsUnauthorized(string path)
    {
        using var response = await host.Anonymous.GetAsync(path);

        await Http.AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Token");
    }

    [Theory]
    [InlineData("/api/v1/product-events")]
    [InlineData("/api/v1/product-events/batch")]
    public async Task IngestWithoutKeyIsUnauthorizedAndStoresNothing(string path)
    {
        var productId = Ids.Product();
        var body = path.EndsWith("batch", StringComparison.Ordinal)
            ? $$"""{"events": [{{Bodies.Event(productId, Ids.User()).ToJsonString()}}]}"""
            : Bodies.Event(productId, Ids.User()).ToJsonString();

        using var response = await host.Anonymous.PostJsonAsync(path, body);

        await Http.AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        using var product = await host.Alpha.GetAsync($"/api/v1/products/{productId}");
        Assert.Equal(HttpStatusCode.NotFound, product.StatusCode);
    }

    [Theory]
    [InlineData("Token", "wrong-key")]
    [InlineData("Token", "alpha-secret-9f3")]
    [InlineData("Basic", "alpha-secret-9f3c")]
    public async Task WrongKeyIsUnauthorized(string scheme, string key)
    {
        using var read = await host.Client(key, scheme).GetAsync("/api/v1/event-types");
        using var write = await host.Client(key, scheme).PostJsonAsync("/api/v1/product-events", Bodies.Event(Ids.Product(), Ids.User()));

        await Http.AssertProblemAsync(read, HttpStatusCode.Unauthorized);
        await Http.AssertProblemAsync(write, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task KeyWithoutSchemeIsUnauthorized()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(host.Address, "/api/v1/event-types"));
        request.Headers.TryAddWithoutValidation("Authorization", Keys.AlphaSecret);
        using var http = new HttpClient();

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("Token")]
    [InlineData("Bearer")]
    public async Task SecretKeyIsAcceptedWithTokenOrBearer(string scheme)
    {
        var client = host.Client(Keys.AlphaSecret, scheme);
        var productId = Ids.Product();

        await client.IngestAsync(Bodies.Event(productId, Ids.User()));

        Assert.Equal(productId, (await client.GetJsonAsync($"/api/v1/products/{productId}"))["product_id"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("Token")]
    [InlineData("Bearer")]
    public async Task PublicKeyMayIngest(string scheme)
    {
        var client = host.Client(Keys.AlphaPublic, scheme);
        var productId = Ids.Product();

        await client.IngestAsync(Bodies.Event(productId, Ids.User()));
        await client.IngestBatchAsync([Bodies.Event(productId, Ids.User(), "purchase")]);

        var counts = (await host.Alpha.GetJsonAsync($"/api/v1/products/{productId}"))["event_counts"]!;
        Assert.Equal(1, counts["view"]!.GetValue<int>());
        Assert.Equal(1, counts["purchase"]!.GetValue<int>());
    }

    [Theory]
    [MemberData(nameof(ReadPaths))]
    public async Task PublicKeyIsForbiddenToRead(string path)
    {
        await host.Alpha.IngestAsync(Bodies.Event("sku-auth", "user-auth"));

        using var response = await host.AlphaPublic.GetAsync(path);

        await Http.AssertProblemAsync(response, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task AppsNeverSeeEachOthersData()
    {
        var productId = Ids.Product();
        var userId = Ids.User();
        var alphaId = await host.Alpha.IngestAsync(Bodies.Event(productId, userId, "purchase"));

        using var product = await host.Beta.GetAsync($"/api/v1/products/{productId}");
        using var contact = await host.Beta.GetAsync($"/api/v1/contacts/{userId}");
        var productEvents = await host.Beta.GetJsonAsync($"/api/v1/products/{productId}/events");
        var contactEvents = await host.Beta.GetJsonAsync($"/api/v1/contacts/{userId}/product-events");
        var byProduct = await host.Beta.GetJsonAsync($"/api/v1/product-events?product_id={productId}");

        await Http.AssertProblemAsync(product, HttpStatusCode.NotFound);
        await Http.AssertProblemAsync(contact, HttpStatusCode.NotFound);
        Assert.Empty(productEvents["results"]!.AsArray());
        Assert.Empty(contactEvents["results"]!.AsArray());
        Assert.Empty(byProduct["results"]!.AsArray());
        Assert.DoesNotContain(alphaId, await AllIdsAsync(host.Beta));
    }

    [Fact]
    public async Task SameProductIdInTwoAppsIsTwoProducts()
    {
        var productId = Ids.Product();
        var alpha = Bodies.Event(productId, Ids.User(), "view");
        alpha["color"] = "red";
        var beta = Bodies.Event(productId, Ids.User(), "purchase");
        beta["color"] = "blue";

        await host.Alpha.IngestAsync(alpha);
        await host.Client(Keys.BetaPublic).IngestAsync(beta);

        var inAlpha = await host.Alpha.GetJsonAsync($"/api/v1/products/{productId}");
        var inBeta = await host.Beta.GetJsonAsync($"/api/v1/products/{productId}");
        Assert.Equal("red", inAlpha["attributes"]!["color"]!.GetValue<string>());
        Assert.Equal("blue", inBeta["attributes"]!["color"]!.GetValue<string>());
        Assert.Equal(1, Assert.Single(inAlpha["event_counts"]!.AsObject()).Value!.GetValue<int>());
        Assert.Equal("purchase", Assert.Single(inBeta["event_counts"]!.AsObject()).Key);
    }

    [Fact]
    public async Task HealthNeedsNoKey()
    {
        using var live = await host.Anonymous.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    private static async Task<HashSet<string>> AllIdsAsync(ApiClient client)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        string? next = "/api/v1/product-events?limit=1000";
        while (next is not null)
        {
            var page = await client.GetJsonAsync(next);
            ids.UnionWith(page["results"]!.AsArray().Select(e => e!["id"]!.GetValue<string>()));
            next = page["next"]?.GetValue<string>();
        }

        return ids;
    }
}
