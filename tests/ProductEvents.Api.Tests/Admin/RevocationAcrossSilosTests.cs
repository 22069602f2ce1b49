using System.Net;
using ProductEvents.Api.Tests.Support;

namespace ProductEvents.Api.Tests.Admin;

/// <summary>
/// Two silos of one cluster on one PostgreSQL: a key added, rotated or revoked through one silo's admin API takes
/// effect on the other within seconds (its poll of the registry version), with no restart.
/// </summary>
public sealed class RevocationAcrossSilosTests : IAsyncLifetime
{
    private readonly PostgresFixture _postgres = new();
    private TestHost? _first;
    private TestHost? _second;
    private HttpClient? _firstHttp;
    private HttpClient? _secondHttp;

    private ApiClient Admin => new(_firstHttp!, key: null);

    public async Task InitializeAsync()
    {
        await _postgres.InitializeAsync();
        var cluster = $"tests-{Guid.NewGuid():N}";
        _first = await new TestHostBuilder().WithPostgres(_postgres.ConnectionString).WithSetting("Orleans:ClusterId", cluster).StartAsync();
        _second = await new TestHostBuilder().WithPostgres(_postgres.ConnectionString).WithSetting("Orleans:ClusterId", cluster).StartAsync();
        _firstHttp = _first.CreateClient();
        _secondHttp = _second.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _firstHttp?.Dispose();
        _secondHttp?.Dispose();
        foreach (var host in new[] { _second, _first })
        {
            if (host is not null)
            {
                await host.DisposeAsync();
            }
        }

        await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task AKeyChangedThroughOneSiloTakesEffectOnTheOtherWithinSeconds()
    {
        var appId = AdminCalls.NewAppId();
        await Admin.CreateAppAsync(appId);
        var firstKey = await Admin.AddKeyAsync(appId, "backend", "secret");
        var first = new ApiClient(_secondHttp!, firstKey);

        await first.WaitAcceptedAsync("the other silo to take the new key");
        var secondKey = await Admin.RotateKeyAsync(appId, "backend", graceSeconds: 0);
        var second = new ApiClient(_secondHttp!, secondKey);
        await first.WaitRefusedAsync("the other silo to refuse the key rotated away");
        await second.WaitAcceptedAsync("the other silo to take the key rotated in");
        await Admin.RevokeKeyAsync(appId, "backend");
        await second.WaitRefusedAsync("the other silo to refuse the revoked key");

        Assert.Equal(HttpStatusCode.Unauthorized, await new ApiClient(_firstHttp!, secondKey).IngestStatusAsync());
    }
}
