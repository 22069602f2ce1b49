using ProductEvents.Grains.Projections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Orleans.Reminders;
using Orleans.Runtime;
using Orleans.Streams;
using Orleans.TestingHost;
using ProductEvents.Abstractions;
using ProductEvents.Abstractions.Segments;
using ProductEvents.Grains.Segments;
using ProductEvents.Storage.EventLog;
using ProductEvents.Storage.Segments;

namespace ProductEvents.Grains.Tests.SegmentGrains;

/// <summary>
/// One in-process silo whose own clock (the <see cref="TimeProvider"/> that contacts, segment definitions and the
/// registry read) is a <see cref="FakeTimeProvider"/> the tests advance. Orleans' own areas (grain timers, messaging,
/// membership, reminders, streams) stay on real time, so stream delivery and the segments' flush timers run as usual.
/// </summary>
public sealed class FakeClockCluster : IAsyncLifetime
{
    public static readonly DateTimeOffset Start = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);

    private static readonly string[] RealTimeAreas =
    [
        TimeProviderNames.Grains,
        TimeProviderNames.Messaging,
        TimeProviderNames.SystemTimers,
        TimeProviderNames.Membership,
        TimeProviderNames.ActivationManagement,
        TimeProviderNames.GrainDirectory,
        ReminderTimeProviderNames.Reminders,
        StreamingTimeProviderNames.Streaming,
    ];

    private InProcessTestCluster? _cluster;

    public FakeTimeProvider Clock { get; } = new PooledFakeTimeProvider(Start);

    public InMemoryEventLog Log { get; } = new(Options.Create(new EventLogOptions { MemoryCapacity = 100_000 }));

    public IGrainFactory Grains => _cluster?.Client ?? throw new InvalidOperationException("The cluster is not started.");

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton<TimeProvider>(Clock);
            foreach (var area in RealTimeAreas)
            {
                silo.Services.AddKeyedSingleton(area, TimeProvider.System);
            }

            silo.AddMemoryGrainStorage(StorageNames.Snapshots);
            silo.UseInMemoryReminderService();
            silo.AddSegments();
            silo.Services.AddSingleton<IEventLogReader>(Log);
            silo.Services.AddSingleton<ISegmentMembershipStore, InMemorySegmentMembershipStore>();
            silo.Services.AddSingleton<IWindowCheckStore, InMemoryWindowCheckStore>();
            silo.Services.Configure<WindowCheckSchedulerOptions>(o => o.PollInterval = TimeSpan.FromMilliseconds(20));
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.StopAllSilosAsync();
            await _cluster.DisposeAsync();
        }
    }

    /// <summary>Appends the events to the log and hands them to their contact, as the ingest pipeline does after a commit.</summary>
    public async Task IngestAsync(string appId, params ProductEventRecord[] events)
    {
        var outcomes = (await Log.AppendAsync(events)).Outcomes;
        var committed = outcomes.Select(o => o.Committed!).ToArray();
        foreach (var group in committed.GroupBy(e => e.UserId is { } user ? ContactRef.User(user) : ContactRef.Visitor(e.UserKey!)))
        {
            await InternalContact(appId, group.Key).ApplyAsync([.. group], firstEntries: false);
        }
    }

    /// <summary>
    /// Deactivates the idle grains and waits until no contact grain is active: their window timers are gone, only their
    /// window checks are left.
    /// </summary>
    public async Task DeactivateContactsAsync()
    {
        var management = Grains.GetGrain<IManagementGrain>(0);
        await Eventually.ReturnsAsync(
            async () =>
            {
                await management.ForceActivationCollection(TimeSpan.Zero);
                return await ActiveContactsAsync();
            },
            active => active == 0,
            "every contact grain to be deactivated");
    }

    /// <summary>Waits until a contact grain is active again (brought back by its window check, say).</summary>
    public Task WaitForActiveContactsAsync() =>
        Eventually.ReturnsAsync(ActiveContactsAsync, active => active > 0, "a contact grain to be activated");

    private async Task<int> ActiveContactsAsync()
    {
        var statistics = await Grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        return statistics.Where(s => s.GrainType.Contains("ContactGrain", StringComparison.Ordinal)).Sum(s => s.ActivationCount);
    }

    public ISegmentMembershipStore Memberships =>
        _cluster?.Silos[0].ServiceProvider.GetRequiredService<ISegmentMembershipStore>() ?? throw new InvalidOperationException("The cluster is not started.");

    public IContactGrain Contact(string appId, ContactRef contact) => Grains.GetGrain<IContactGrain>(GrainKeys.Contact(appId, contact));

    /// <summary>The contact as the silo's own code calls it: applying entries, re-evaluating segments.</summary>
    public IContactProjectionGrain InternalContact(string appId, ContactRef contact) => Grains.GetGrain<IContactProjectionGrain>(GrainKeys.Contact(appId, contact));

    public ISegmentRegistryGrain Registry(string appId) => Grains.GetGrain<ISegmentRegistryGrain>(appId);

    public ISegmentGrain Segment(string appId, string segmentId) => Grains.GetGrain<ISegmentGrain>(GrainKeys.Segment(appId, segmentId));

    /// <summary>Defines a segment and waits until its build (over whatever the log holds) is done.</summary>
    public async Task<string> DefineSegmentAsync(string appId, string name, string conditionJson)
    {
        var result = await Registry(appId).CreateAsync(name, conditionJson);
        Assert.True(result.Segment is not null, string.Join("; ", result.Errors.Select(e => $"{e.Path}: {e.Message}")));
        var id = result.Segment.Id;
        await Eventually.ReturnsAsync(() => Registry(appId).GetAsync(id), s => s?.Status == SegmentStatus.Ready, $"segment {id} to be ready");
        return id;
    }
}
