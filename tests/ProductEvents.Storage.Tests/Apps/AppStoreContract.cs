using Microsoft.Extensions.Time.Testing;
using ProductEvents.Storage.Apps;
using ProductEvents.Storage.Audit;

namespace ProductEvents.Storage.Tests.Apps;

/// <summary>
/// What every <see cref="IAppStore"/> does: apps are created once and changed in part; keys are kept by hash, a name is
/// unique among the keys not revoked, an app holds a bounded number of them, a rotated key works until its grace ends,
/// a revocation ends every working key of the name; every change moves the version (a use does not) and is audited.
/// </summary>
public abstract class AppStoreContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private const string Actor = "cli:tester";

    private (IAppStore Store, IAuditLog Audit)? _stores;

    protected FakeTimeProvider Clock { get; } = new(T0);

    /// <summary>Unique per test, so stores on a shared database see only this test's app.</summary>
    protected string App { get; } = $"app-{Guid.NewGuid():N}";

    protected IAppStore Store => _stores?.Store ?? throw new InvalidOperationException("The store has not been created.");

    protected IAuditLog Audit => _stores?.Audit ?? throw new InvalidOperationException("The store has not been created.");

    /// <summary>The stores under test, on <paramref name="clock"/>.</summary>
    protected abstract Task<(IAppStore Store, IAuditLog Audit)> CreateStoresAsync(TimeProvider clock);

    public async Task InitializeAsync() => _stores = await CreateStoresAsync(Clock);

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ACreatedAppIsReadAndListedAndItsIdCannotBeTakenAgain()
    {
        var created = await Store.CreateAppAsync(App, "Shop", ["https://shop.example"], Actor);

        Assert.Equal(new StoredApp(App, "Shop", ["https://shop.example"], T0, T0), created, AppComparer.Instance);
        Assert.Equal(created, await Store.GetAppAsync(App), AppComparer.Instance);
        Assert.Contains(await Store.ListAppsAsync(), a => a.Id == App);
        Assert.Null(await Store.CreateAppAsync(App, "Another", [], Actor));
        Assert.Equal("Shop", (await Store.GetAppAsync(App))!.Name);
        Assert.Null(await Store.GetAppAsync(App + "-missing"));
    }

    [Fact]
    public async Task AnUpdateChangesWhatIsGivenAndKeepsTheRest()
    {
        await Store.CreateAppAsync(App, "Shop", ["https://shop.example"], Actor);
        Clock.Advance(TimeSpan.FromMinutes(1));

        var renamed = await Store.UpdateAppAsync(App, "Shop 2", null, Actor);
        var moved = await Store.UpdateAppAsync(App, null, ["https://a.example", "https://b.example"], Actor);

        Assert.Equal(["https://shop.example"], renamed!.AllowedOrigins);
        Assert.Equal("Shop 2", moved!.Name);
        Assert.Equal(["https://a.example", "https://b.example"], moved.AllowedOrigins);
        Assert.Equal(T0, moved.CreatedAt);
        Assert.Equal(T0.AddMinutes(1), moved.UpdatedAt);
        Assert.Null(await Store.UpdateAppAsync(App + "-missing", "x", null, Actor));
    }

    [Fact]
    public async Task AnAddedKeyIsLoadedByItsHashAndListedWithoutIt()
    {
        await Store.CreateAppAsync(App, "Shop", [], Actor);
        var text = AppKeySecrets.Generate(AppKeyKind.Public);

        var result = await Store.AddKeyAsync(App, "browser", AppKeyKind.Public, AppKeySecrets.Hash(text), Actor);

        Assert.Equal(KeyWriteStatus.Done, result.Status);
        var live = Assert.Single((await Store.LoadAsync()).Keys, k => k.AppId == App);
        Assert.Equal(("browser", AppKeyKind.Public, (DateTimeOffset?)null), (live.Name, live.Kind, live.RevokedAt));
        Assert.Equal(AppKeySecrets.Hash(text), live.Hash);
        var listed = Assert.Single((await Store.ListKeysAsync(App))!);
        Assert.Equal(new StoredKey(result.Key!.Id, App, "browser", AppKeyKind.Public, T0, null, null), listed);
    }

    [Fact]
    public async Task KeysOfAnAppThatIsNotStoredAreRefused()
    {
        var missing = App + "-missing";

        Assert.Equal(KeyWriteStatus.AppNotFound, (await Store.AddKeyAsync(missing, "k", AppKeyKind.Secret, NewHash(), Actor)).Status);
        Assert.Equal(KeyWriteStatus.AppNotFound, (await Store.RotateKeyAsync(missing, "k", _ => NewHash(), TimeSpan.Zero, Actor)).Status);
        Assert.Equal(KeyWriteStatus.AppNotFound, (await Store.RevokeKeyAsync(missing, "k", Actor)).Status);
        Assert.Null(await Store.ListKeysAsync(missing));
    }

    [Fact]
    public async Task AKeyNameIsTakenUntilItsKeyIsRevoked()
    {
        await Store.CreateAppAsync(App, "Shop", [], Actor);
        await Store.AddKeyAsync(App, "backend", AppKeyKind.Secret, NewHash(), Actor);

        var taken = await Store.AddKeyAsync(App, "backend", AppKeyKind.Public, NewHash(), Actor);
        await Store.RevokeKeyAsync(App, "backend", Actor);
        var again = await Store.AddKeyAsync(App, "backend", AppKeyKind.Public, NewHash(), Actor);

        Assert.Equal(KeyWriteStatus.NameTaken, taken.Status);
        Assert.Equal(KeyWriteStatus.Done, again.Status);
        Assert.Equal([(AppKeyKind.Public, false), (AppKeyKind.Secret, true)], (await Store.ListKeysAsync(App))!.Select(k => (k.Kind, k.RevokedAt is not null)));
    }

    [Fact]
    public async Task AnAppHoldsAtMostItsLimitOfKeysThatAreNotRevoked()
    {
        await Store.CreateAppAsync(App, "Shop", [], Actor);
        for (var i = 0; i < AppLimits.MaxLiveKeysPerApp; i++)
        {
            Assert.Equal(KeyWriteStatus.Done, (await Store.AddKeyAsync(App, $"k{i}", AppKeyKind.Secret, NewHash(), Actor)).Status);
        }

        var refused = await Store.AddKeyAsync(App, "one-more", AppKeyKind.Secret, NewHash(), Actor);
        await Store.RevokeKeyAsync(App, "k0", Actor);
        var afterRevoke = await Store.AddKeyAsync(App, "one-more", AppKeyKind.Secret, NewHash(), Actor);

        Assert.Equal(KeyWriteStatus.TooManyKeys, refused.Status);
        Assert.Equal(KeyWriteStatus.Done, afterRevoke.Status);
    }

    [Fact]
    public async Task ARotatedKeyWorksNextToItsReplacementUntilItsGraceEnds()
    {
        await Store.CreateAppAsync(App, "Shop", [], Actor);
        var old = (await Store.AddKeyAsync(App, "backend", AppKeyKind.Public, NewHash(), Actor)).Key!;
        Clock.Advance(TimeSpan.FromMinutes(1));
        AppKeyKind? kindAsked = null;

        var rotated = await Store.RotateKeyAsync(App, "backend", kind => { kindAsked = kind; return NewHash(); }, TimeSpan.FromHours(1), Actor);

        Assert.Equal(KeyWriteStatus.Done, rotated.Status);
        Assert.Equal(AppKeyKind.Public, kindAsked);
        Assert.Equal(("backend", AppKeyKind.Public), (rotated.Key!.Name, rotated.Key.Kind));
        var during = (await Store.LoadAsync()).Keys.Where(k => k.AppId == App).OrderBy(k => k.Id).ToList();
        Assert.Equal([(old.Id, (DateTimeOffset?)T0.AddMinutes(61)), (rotated.Key.Id, null)], during.Select(k => (k.Id, k.RevokedAt)));

        Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal([rotated.Key.Id], (await Store.LoadAsync()).Keys.Where(k => k.AppId == App).Select(k => k.Id));
        Assert.Equal(KeyWriteStatus.KeyNotFound, (await Store.RotateKeyAsync(App, "other", _ => NewHash(), TimeSpan.Zero, Actor)).Status);
    }

    [Fact]
    public async Task ARotationWithoutGraceEndsTheOldKeyAtOnce()
    {
        await Store.CreateAppAsync(App, "Shop", [], Actor);
        await Store.AddKeyAsync(App, "backend", AppKeyKind.Secret, NewHash(), Actor);

        var rotated = await Store.RotateKeyAsync(App, "backend", _ => NewHash(), TimeSpan.Zero, Actor);

        Assert.Equal([rotated.Key!.Id], (await Store.LoadAsync()).Keys.Where(k => k.AppId == App).Select(k => k.Id));
    }

    [Fact]
    public async Task ARevocationEndsEveryWorkingKeyOfTheNameAndOnlyThose()
    {
        await Store.CreateAppAsync(App, "Shop", [], Actor);
        await Store.AddKeyAsync(App, "backend", AppKeyKind.Secret, NewHash(), Actor);
        var other = (await Store.AddKeyAsync(App, "browser", AppKeyKind.Public, NewHash(), Actor)).Key!;
        await Store.RotateKeyAsync(App, "backend", _ => NewHash(), TimeSpan.FromHours(1), Actor);

        var revoked = await Store.RevokeKeyAsync(App, "backend", Actor);
        var again = await Store.RevokeKeyAsync(App, "backend", Actor);

        Assert.Equal(KeyWriteStatus.Done, revoked.Status);
        Assert.Equal(T0, revoked.Key!.RevokedAt);
        Assert.Equal(KeyWriteStatus.KeyNotFound, again.Status);
        Assert.Equal([other.Id], (await Store.LoadAsync()).Keys.Where(k => k.AppId == App).Select(k => k.Id));
        Assert.All((await Store.ListKeysAsync(App))!.Where(k => k.Name == "backend"), k => Assert.Equal(T0, k.RevokedAt));
    }

    [Fact]
    public async Task EveryChangeMovesTheVersionAndAUseDoesNot()
    {
        var versions = new List<long> { await Store.ReadVersionAsync() };
        async Task Changed(Func<Task> change)
        {
            await change();
            var version = await Store.ReadVersionAsync();
            Assert.True(version > versions[^1], $"the version stayed at {version}");
            versions.Add(version);
        }

        await Changed(() => Store.CreateAppAsync(App, "Shop", [], Actor));
        await Changed(() => Store.UpdateAppAsync(App, null, ["https://shop.example"], Actor));
        await Changed(() => Store.AddKeyAsync(App, "backend", AppKeyKind.Secret, NewHash(), Actor));
        await Changed(() => Store.RotateKeyAsync(App, "backend", _ => NewHash(), TimeSpan.FromHours(1), Actor));
        await Changed(() => Store.RevokeKeyAsync(App, "backend", Actor));
        var key = (await Store.AddKeyAsync(App, "browser", AppKeyKind.Public, NewHash(), Actor)).Key!;
        var beforeUse = await Store.ReadVersionAsync();

        await Store.RecordUseAsync([new KeyUse(key.Id, T0.AddMinutes(5))]);

        Assert.Equal(beforeUse, (await Store.LoadAsync()).Version);
    }

    [Fact]
    public async Task ALastUseOnlyMovesForward()
    {
        await Store.CreateAppAsync(App, "Shop", [], Actor);
        var key = (await Store.AddKeyAsync(App, "backend", AppKeyKind.Secret, NewHash(), Actor)).Key!;

        await Store.RecordUseAsync([new KeyUse(key.Id, T0.AddMinutes(5))]);
        await Store.RecordUseAsync([new KeyUse(key.Id, T0.AddMinutes(2))]);

        Assert.Equal(T0.AddMinutes(5), Assert.Single((await Store.ListKeysAsync(App))!).LastUsedAt);
    }

    [Fact]
    public async Task EveryChangeIsAuditedWithItsActorAndNoKeyMaterial()
    {
        var hash = NewHash();
        await Store.CreateAppAsync(App, "Shop", [], Actor);
        await Store.UpdateAppAsync(App, null, ["https://shop.example"], "operator");
        await Store.AddKeyAsync(App, "backend", AppKeyKind.Secret, hash, Actor);
        await Store.RotateKeyAsync(App, "backend", _ => NewHash(), TimeSpan.FromHours(1), Actor);
        await Store.RevokeKeyAsync(App, "backend", Actor);

        var entries = await Audit.ListAsync(new AuditQuery(AppId: App), 100);

        Assert.Equal(
            [
                (AuditActions.KeyRevoke, Actor, "backend"), (AuditActions.KeyRotate, Actor, "backend"), (AuditActions.KeyAdd, Actor, "backend"),
                (AuditActions.AppUpdate, "operator", App), (AuditActions.AppCreate, Actor, App),
            ],
            entries.Select(e => (e.Action, e.Actor, e.Subject)));
        Assert.Equal("secret", entries[2].Details!["kind"]!.GetValue<string>());
        Assert.Equal(2, entries[0].Details!["keys"]!.GetValue<int>());
        Assert.Equal("https://shop.example", entries[3].Details!["allowed_origins"]![0]!.GetValue<string>());
        Assert.All(entries, e => Assert.DoesNotContain(Convert.ToHexString(hash), e.Details?.ToJsonString() ?? "", StringComparison.OrdinalIgnoreCase));
    }

    private static byte[] NewHash() => AppKeySecrets.Hash(AppKeySecrets.Generate(AppKeyKind.Secret));

    /// <summary>Apps compare by value, their origins by their items.</summary>
    private sealed class AppComparer : IEqualityComparer<StoredApp?>
    {
        public static readonly AppComparer Instance = new();

        public bool Equals(StoredApp? x, StoredApp? y) =>
            x is not null && y is not null && (x.Id, x.Name, x.CreatedAt, x.UpdatedAt) == (y.Id, y.Name, y.CreatedAt, y.UpdatedAt)
            && x.AllowedOrigins.SequenceEqual(y.AllowedOrigins);

        public int GetHashCode(StoredApp? obj) => obj?.Id.GetHashCode(StringComparison.Ordinal) ?? 0;
    }
}
