using Microsoft.Extensions.Time.Testing;
using ProductEvents.Grains;

namespace ProductEvents.Grains.Tests.Caching;

/// <summary>The per-app cache of registry data: one version check at a time, reads not held up by it while fresh enough.</summary>
[Trait("Category", "Unit")]
public sealed class AppVersionedCacheTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private int _versionReads;
    private int _loads;
    private long _version = 1;
    private TaskCompletionSource? _versionGate;

    [Fact]
    public async Task WithinTheIntervalReadsAskNothing()
    {
        var cache = Create();
        Assert.Equal("v1", await cache.GetAsync("app"));

        _clock.Advance(Interval / 2);
        Assert.Equal("v1", await cache.GetAsync("app"));
        Assert.Equal((1, 1), (_versionReads, _loads));
    }

    [Fact]
    public async Task PastTheIntervalReadsAnswerAtOnceAndOneCheckBringsTheNewVersion()
    {
        var cache = Create();
        await cache.GetAsync("app");
        _version = 2;
        _versionGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _clock.Advance(Interval * 1.5);

        // The check is held up: every read still answers, from the entry it has.
        var reads = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => cache.GetAsync("app").AsTask())));
        Assert.All(reads, r => Assert.Equal("v1", r));
        await Eventually.ReturnsAsync(() => Task.FromResult(Volatile.Read(ref _versionReads)), n => n >= 2, "the check");
        await Task.Delay(200);
        Assert.Equal(2, Volatile.Read(ref _versionReads));

        _versionGate.SetResult();
        await Eventually.ReturnsAsync(async () => await cache.GetAsync("app"), v => v == "v2", "the new version");
    }

    [Fact]
    public async Task AnEntryPastTwiceTheIntervalIsCheckedBeforeItIsAnswered()
    {
        var cache = Create();
        await cache.GetAsync("app");
        _version = 2;
        _clock.Advance(Interval * 3);

        Assert.Equal("v2", await cache.GetAsync("app"));
    }

    [Fact]
    public async Task AnInvalidationDuringACheckIsNotUndoneByIt()
    {
        var cache = Create();
        await cache.GetAsync("app");
        _versionGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _clock.Advance(Interval * 1.5);
        Assert.Equal("v1", await cache.GetAsync("app"));

        // The registry changes and invalidates while the check that read it before is still out.
        _version = 2;
        cache.Invalidate("app");
        _versionGate.SetResult();
        _versionGate = null;

        Assert.Equal("v2", await cache.GetAsync("app"));
        _clock.Advance(Interval / 2);
        Assert.Equal("v2", await cache.GetAsync("app"));
    }

    [Fact]
    public async Task AChangeTwoIntervalsOldIsSeenHoweverLongTheCheckBeforeItTook()
    {
        var cache = Create();
        await cache.GetAsync("app");
        _versionGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _clock.Advance(Interval * 1.5);
        Assert.Equal("v1", await cache.GetAsync("app"));
        await Eventually.ReturnsAsync(() => Task.FromResult(Volatile.Read(ref _versionReads)), n => n >= 2, "the check");

        // The registry changes just after the check read it; the check comes back an interval and a half later.
        _version = 2;
        _clock.Advance(Interval * 1.5);
        var gate = _versionGate;
        _versionGate = null;
        gate.SetResult();
        Assert.Equal("v1", await cache.GetAsync("app"));

        // Two intervals after the change: the slow check's answer counts as old as the moment it began.
        _clock.Advance(Interval * 0.6);
        Assert.Equal("v2", await cache.GetAsync("app"));
    }

    private AppVersionedCache<string> Create() => new(
        _clock,
        Interval,
        async _ =>
        {
            Interlocked.Increment(ref _versionReads);
            var version = Interlocked.Read(ref _version);
            if (_versionGate is { } gate)
            {
                await gate.Task;
            }

            return version;
        },
        (_, version) =>
        {
            Interlocked.Increment(ref _loads);
            return Task.FromResult($"v{version}");
        });
}
