using System.Net;
using Microsoft.Extensions.Options;
using ProductEvents.Api.Tests.Support;

namespace ProductEvents.Api.Tests.Hosting;

/// <summary>Each test starts a host of its own: what start-up accepts depends on the environment.</summary>
public sealed class StartupTests
{
    private static readonly Dictionary<string, string?> DevelopmentKeys = new()
    {
        ["ProductEvents:Apps:demo:SecretKey"] = "dev-secret",
        ["ProductEvents:Apps:demo:PublicKey"] = "dev-public",
    };

    [Theory]
    [InlineData("dev-secret", "prod-public-1f2e")]
    [InlineData("prod-secret-1f2e", "dev-public")]
    [InlineData("dev-secret", "dev-public")]
    public async Task ProductionRefusesTheDevelopmentKeys(string secretKey, string publicKey)
    {
        await using var app = new TestHostBuilder().WithEnvironment("Production").WithApp("shop", secretKey, publicKey).Build();

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("dev-secret", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ProductEvents:Ingest:MaxBatchEvents", "0")]
    [InlineData("ProductEvents:Ingest:QueueCapacity", "-1")]
    [InlineData("ProductEvents:Ingest:SendsInFlight", "0")]
    [InlineData("ProductEvents:Ingest:RetryAfter", "00:00:00")]
    [InlineData("ProductEvents:EventLog:MemoryCapacity", "0")]
    [InlineData("ProductEvents:Deliveries:MaxAttempts", "0")]
    [InlineData("ProductEvents:Deliveries:Timeout", "00:00:00")]
    [InlineData("ProductEvents:Demo:AppId", "")]
    [InlineData("ProductEvents:Runs:BatchSize", "0")]
    [InlineData("ProductEvents:WindowChecks:Lease", "00:00:00")]
    [InlineData("ProductEvents:Projections:SnapshotEveryEntries", "0")]
    [InlineData("ProductEvents:Projections:CollectedSnapshotMinEntries", "0")]
    [InlineData("ProductEvents:Webhooks:AllowedNetworks:0", "intranet")]
    public async Task ABadOptionValueStopsTheStartNamingItsKey(string key, string value)
    {
        await using var app = new TestHostBuilder().WithSettings(DevelopmentKeys).WithSetting(key, value).Build();

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains(key, refused.Message, StringComparison.Ordinal);
    }

    /// <summary>Kestrel's limits are read while the host is built, so a bad one stops the build rather than the start.</summary>
    [Theory]
    [InlineData("Api:Http:MaxRequestBodyBytes", "1000")]
    [InlineData("Api:Http:KeepAliveTimeout", "00:00:00")]
    [InlineData("Api:Http:MaxConcurrentConnections", "0")]
    [InlineData("Api:Http:MinRequestBodyGracePeriod", "00:00:01")]
    public async Task ABadHttpLimitStopsTheHostNamingItsKey(string key, string value)
    {
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = new TestHostBuilder().WithSettings(DevelopmentKeys).WithSetting(key, value).Build();
            await app.StartAsync();
        });

        Assert.Contains(key, refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Orleans:SiloPort", "0")]
    [InlineData("Orleans:GatewayPort", "70000")]
    [InlineData("Orleans:ServiceId", "")]
    [InlineData("ProductEvents:Memory:BudgetMegabytes", "-1")]
    [InlineData("ProductEvents:Memory:GrainCollectionAge", "00:00:01")]
    public void ABadOrleansSettingStopsTheBuildNamingItsKey(string key, string value)
    {
        var refused = Assert.Throws<OptionsValidationException>(() =>
            new TestHostBuilder().WithSettings(DevelopmentKeys).WithSetting(key, value).Build());

        Assert.Contains(key, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProductionStartsWithKeysOfItsOwn()
    {
        await using var host = await new TestHostBuilder().WithEnvironment("Production").WithApp("shop", "prod-secret-8c1d", "prod-public-8c1d").StartAsync();

        await AssertServesAsync(host, "prod-secret-8c1d");
    }

    [Fact]
    public async Task DevelopmentStartsWithTheDevelopmentKeys()
    {
        await using var host = await new TestHostBuilder().WithSettings(DevelopmentKeys).StartAsync();

        await AssertServesAsync(host, "dev-secret");
    }

    [Fact]
    public async Task StartupRefusesAKeyUsedTwice()
    {
        await using var app = new TestHostBuilder().WithApp("one", "shared-key-4a4a").WithApp("two", "shared-key-4a4a").Build();

        await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
    }

    private static async Task AssertServesAsync(TestHost host, string secretKey)
    {
        using var http = host.CreateClient();
        var client = new ApiClient(http, secretKey);
        var productId = Ids.Product();

        await client.IngestAsync(Bodies.Event(productId, Ids.User()));

        Assert.Equal(productId, (await client.GetJsonAsync($"/api/v1/products/{productId}"))["product_id"]!.GetValue<string>());
        using var ready = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }
}
