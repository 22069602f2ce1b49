using Orleans.Streams;
using ProductEvents.Abstractions.Segments;
using ProductEvents.Abstractions.Telemetry;
using ProductEvents.Grains.Telemetry;
using ProductEvents.Storage.EventLog;
using ProductEvents.Storage.Segments;

namespace ProductEvents.Grains.Segments;

/// <summary>
/// The segment side of membership: changes arrive from contacts on the segment's stream (only changes, never the
/// events behind them) and are written to the membership store as they come, in batches of whatever arrived during
/// the previous write (<see cref="MembershipWriter"/>). A build (SegmentGrain.Build.cs) walks every contact of the app
/// through the log and asks each to evaluate itself; contacts answer on the same stream.
/// </summary>
[ImplicitStreamSubscription(StreamNames.SegmentMembership)]
public sealed partial class SegmentGrain(
    [PersistentState("segment-build", StorageNames.Snapshots)] IPersistentState<SegmentBuildState> build,
    ISegmentMembershipStore store,
    IEventLogReader log,
    TimeProvider clock,
    IClusterMembershipService membership,
    ILogger<SegmentGrain> logger) : Grain, ISegmentGrain
{
    /// <summary>Only a safety net: writes start as changes arrive; this retries a failed one (or a failed deletion).</summary>
    private static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(100);

    private MembershipWriter? _writer;

    private (string AppId, string SegmentId) Key => GrainKeys.Split(this.GetPrimaryKeyString());

    private MembershipWriter Writer => _writer ??= new MembershipWriter(WriteAsync, clock, logger, this.GetPrimaryKeyString());

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var stream = this.GetStreamProvider(StreamNames.Provider)
            .GetStream<MembershipChange>(StreamId.Create(StreamNames.SegmentMembership, this.GetPrimaryKeyString()));
        await stream.SubscribeAsync((change, _) =>
        {
            Receive(change);
            return Task.CompletedTask;
        });
        this.RegisterGrainTimer(RetryOnTimer, FlushInterval, FlushInterval);
        _answers.Reset(build.State.Version);
        if (!build.State.Done)
        {
            StartBuildTimer();
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => FlushAsync();

    public async Task<SegmentMember?> GetMemberAsync(ContactRef contact) => await store.GetAsync(Key.AppId, Key.SegmentId, contact);

    public Task<long> CountAsync() => store.CountAsync(Key.AppId, Key.SegmentId);

    public Task<IReadOnlyList<SegmentMember>> ListMembersAsync(string? afterContactKey, int limit) =>
        store.ListAsync(Key.AppId, Key.SegmentId, afterContactKey, limit);

    public Task<IReadOnlyList<SegmentChange>> ListChangesAsync(long afterNumber, int limit) =>
        store.ChangesAsync(Key.AppId, Key.SegmentId, since: null, afterNumber, limit);

    public async Task DeleteAsync()
    {
        Writer.Clear();
        StopBuild();
        build.State.Deleted = true;
        build.State.Done = true;

        // A write under way finishes before the rows are deleted, so it cannot add any after them.
        await Writer.IdleAsync();
        await build.WriteStateAsync();
        await DeleteRowsAsync();
    }

    public Task FlushAsync() => build.State.Deleted ? Task.CompletedTask : Writer.FlushAsync();

    private void Receive(MembershipChange change)
    {
        if (build.State.Deleted)
        {
            return;
        }

        if (change.Build != 0)
        {
            _answers.Arrived(change.Build, ContactKeys.Of(change.Contact));
        }

        if (!change.AnswerOnly)
        {
            Writer.Add(change);
        }
    }

    private async Task WriteAsync(MembershipChange[] batch)
    {
        using var activity = ProductEventsTelemetry.Source.StartActivity(SegmentMetrics.WriteActivity);
        await store.ApplyAsync(Key.AppId, Key.SegmentId, batch);
        SegmentMetrics.Written(Key.AppId, batch, clock.GetUtcNow());
        await GrainFactory.GetGrain<ISegmentTriggerGrain>(this.GetPrimaryKeyString()).CatchUpAsync();
    }

    /// <summary>Deletes the rows of the deleted segment and tells the registry; a failure is tried again by the timer.</summary>
    private async Task DeleteRowsAsync()
    {
        var (appId, segmentId) = Key;
        await store.DeleteSegmentAsync(appId, segmentId);
        await GrainFactory.GetGrain<ISegmentRegistryGrain>(appId).SegmentDeletedAsync(segmentId);
        build.State.RowsDeleted = true;
        await build.WriteStateAsync();
    }

    private async Task RetryOnTimer(CancellationToken cancellationToken)
    {
        if (build.State is { Deleted: true, RowsDeleted: false })
        {
            try
            {
                await DeleteRowsAsync();
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Segment {Segment}: the deleted segment's rows are not deleted yet; trying again", this.GetPrimaryKeyString());
            }

            return;
        }

        Writer.Start();
    }
}
