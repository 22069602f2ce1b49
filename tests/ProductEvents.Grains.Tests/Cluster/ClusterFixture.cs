using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.TestingHost;
using ProductEvents.Abstractions;
using ProductEvents.Abstractions.Segments;
using ProductEvents.Grains.Projections;
using ProductEvents.Grains.Segments;
using ProductEvents.Storage.EventLog;
using ProductEvents.Storage.Segments;

namespace ProductEvents.Grains.Tests.Cluster;

/// <summary>One in-process silo with memory snapshot storage, reading an in-memory event log the tests append to.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private InProcessTestCluster? _cluster;

    public ClusterFixture()
    {
        Log = new InMemoryEventLog(Options.Create(new EventLogOptions { MemoryCapacity = 100_000 }));
        Reader = new RecordingEventLogReader(Log);
    }

    public InMemoryEventLog Log { get; }

    public RecordingEventLogReader Reader { get; }

    /// <summary>The silo's services, for what the grains use (such as the grain storage serializer).</summary>
    public IServiceProvider SiloServices => _cluster?.Silos[0].ServiceProvider ?? throw new InvalidOperationException("The cluster is not started.");

    public IGrainFactory Grains => _cluster?.Client ?? throw new InvalidOperationException("The cluster is not started.");

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(StorageNames.Snapshots);
            silo.UseInMemoryReminderService();
            silo.AddSegments();
            silo.Services.AddSingleton<IEventLogReader>(Reader);
            silo.Services.AddSingleton<ISegmentMembershipStore, InMemorySegmentMembershipStore>();
            silo.Services.AddSingleton<IWindowCheckStore, InMemoryWindowCheckStore>();

            // The tests collect grains to see what their next activation replays: a collected grain writes its
            // snapshot however few entries it has unsaved (the default leaves fewer than 20 to the log).
            silo.Services.Configure<ProjectionOptions>(o => o.CollectedSnapshotMinEntries = 1);
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

    /// <summary>Appends the events to the log and answers them as committed (with their log positions).</summary>
    public async Task<ProductEventRecord[]> CommitAsync(params ProductEventRecord[] events)
    {
        var outcomes = (await Log.AppendAsync(events)).Outcomes;
        return [.. outcomes.Where(o => !o.IsDuplicate).Select(o => o.Committed!)];
    }

    /// <summary>
    /// Deactivates idle grains until the grain with <paramref name="grainKey"/> has been activated anew, which shows as
    /// one more read of its log entries; <paramref name="touch"/> is the call that activates it again.
    /// </summary>
    public async Task ReactivateAsync(string grainKey, Func<Task> touch)
    {
        var reads = Reader.ReadsOf(grainKey).Count;
        var management = Grains.GetGrain<IManagementGrain>(0);
        await Eventually.TrueAsync(
            async () =>
            {
                await management.ForceActivationCollection(TimeSpan.Zero);
                await touch();
                return Reader.ReadsOf(grainKey).Count > reads;
            },
            $"grain {grainKey} to be activated anew",
            TimeSpan.FromSeconds(20));
    }
}
