using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ProductEvents.Api.Apps;
using ProductEvents.Storage.Apps;
using ProductEvents.Storage.Audit;

namespace ProductEvents.Api.Tests.Admin;

/// <summary>A process's copy of the stored keys: what it answers between refreshes, grace by the clock, last uses.</summary>
[Trait("Category", "Unit")]
public sealed class StoredAppKeysTests
{
    private const string App = "shop";
    private const string Actor = "cli:tester";

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly InMemoryAppStore _store;
    private readonly StoredAppKeys _keys;

    public StoredAppKeysTests()
    {
        _store = new InMemoryAppStore(new InMemoryAuditLog(_clock), _clock);
        _keys = new StoredAppKeys(_store, _clock, NullLogger<StoredAppKeys>.Instance);
    }

    [Fact]
    public async Task AKeyIsAnsweredFromTheCopyUntilARefreshSeesItsRevocation()
    {
        await _store.CreateAppAsync(App, "Shop", [], Actor);
        var key = await AddAsync("backend", AppKeyKind.Secret);
        Assert.Null(_keys.Find(KeyHash.Of(key)));

        await _keys.RefreshAsync();
        var found = _keys.Find(KeyHash.Of(key));
        await _store.RevokeKeyAsync(App, "backend", Actor);
        var beforeRefresh = _keys.Find(KeyHash.Of(key));
        await _keys.RefreshAsync();

        Assert.Equal(new AppAccess(App, IsSecret: true, "key:backend"), found);
        Assert.Equal(found, beforeRefresh);
        Assert.Null(_keys.Find(KeyHash.Of(key)));
        Assert.Null(_keys.Find(KeyHash.Of(key + "x")));
    }

    [Fact]
    public async Task ARotatedKeyStopsWhenItsGraceEndsWithoutARefresh()
    {
        await _store.CreateAppAsync(App, "Shop", [], Actor);
        var old = await AddAsync("browser", AppKeyKind.Public);
        string? replacement = null;
        await _store.RotateKeyAsync(App, "browser", kind => AppKeySecrets.Hash(replacement = AppKeySecrets.Generate(kind)), TimeSpan.FromHours(1), Actor);
        await _keys.RefreshAsync();

        var during = _keys.Find(KeyHash.Of(old));
        _clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal(new AppAccess(App, IsSecret: false, "key:browser"), during);
        Assert.Null(_keys.Find(KeyHash.Of(old)));
        Assert.NotNull(_keys.Find(KeyHash.Of(replacement!)));
    }

    [Fact]
    public async Task AUseNotedBeforeAReloadIsWrittenWithItsOwnTimeByTheNextFlush()
    {
        await _store.CreateAppAsync(App, "Shop", [], Actor);
        var key = await AddAsync("backend", AppKeyKind.Secret);
        await _keys.RefreshAsync();
        var usedAt = _clock.GetUtcNow();

        _keys.Find(KeyHash.Of(key));
        await AddAsync("other", AppKeyKind.Secret);
        await _keys.RefreshAsync();
        await _keys.FlushUsesAsync();
        _clock.Advance(TimeSpan.FromMinutes(5));
        await _keys.FlushUsesAsync();

        var keys = (await _store.ListKeysAsync(App))!.ToDictionary(k => k.Name);
        Assert.Equal(usedAt, keys["backend"].LastUsedAt);
        Assert.Null(keys["other"].LastUsedAt);
    }

    [Fact]
    public async Task AStoredAppsOriginsAndIdAreKnownAfterARefresh()
    {
        await _store.CreateAppAsync(App, "Shop", ["https://shop.example"], Actor);

        await _keys.RefreshAsync();

        Assert.Equal([App], _keys.AppIds);
        Assert.True(_keys.Allows(App, "https://shop.example/"));
        Assert.False(_keys.Allows(App, "https://elsewhere.example"));
        Assert.False(_keys.Allows("other", "https://shop.example"));
        Assert.True(_keys.AnyAppAllows("https://shop.example"));
    }

    private async Task<string> AddAsync(string name, AppKeyKind kind)
    {
        var text = AppKeySecrets.Generate(kind);
        Assert.Equal(KeyWriteStatus.Done, (await _store.AddKeyAsync(App, name, kind, AppKeySecrets.Hash(text), Actor)).Status);
        return text;
    }
}
