using Microsoft.Extensions.Logging;
using Orleans.Streams;
using ProductEvents.Abstractions;
using ProductEvents.Abstractions.Segments;

namespace ProductEvents.Grains.Segments;

/// <summary>
/// The segment side of membership: changes arrive from contacts on the segment's stream (only changes, never the
/// events behind them) and are written to the membership store in small batches. A build walks every contact of the
/// app through the log and asks each to evaluate itself; contacts answer on the same stream.
/// </summary>
[ImplicitStreamSubscription(StreamNames.SegmentMembership)]
public sealed class SegmentGrain(
    [PersistentState("segment-build", StorageNames.Snapshots)] IPersistentState<SegmentBuildState> build,
    ISegmentMembershipStore store,
    IEventLogReader log,
    ILogger<SegmentGrain> logger) : Grain, ISegmentGrain
{
    private const int BuildPageSize = 200;
    private static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(20);

    private static readonly TimeSpan DrainTime = TimeSpan.FromMilliseconds(250);

    private readonly List<MembershipChange> _pending = [];
    private IGrainTimer? _buildTimer;
    private long _drainUntil;

    private (string AppId, string SegmentId) Key => GrainKeys.Split(this.GetPrimaryKeyString());

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var stream = this.GetStreamProvider(StreamNames.Provider)
            .GetStream<MembershipChange>(StreamId.Create(StreamNames.SegmentMembership, this.GetPrimaryKeyString()));
        await stream.SubscribeAsync((change, _) =>
        {
            if (!build.State.Deleted)
            {
                _pending.Add(change);
            }

            return Task.CompletedTask;
        });
        this.RegisterGrainTimer(FlushOnTimerAsync, FlushInterval, FlushInterval);
        if (!build.State.Done)
        {
            StartBuildTimer();
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => FlushAsync();

    public async Task StartBuildAsync(int version)
    {
        if (build.State.Version == version && !build.State.Done)
        {
            StartBuildTimer();
            return;
        }

        var (appId, _) = Key;
        build.State = new SegmentBuildState { Version = version, Total = await log.CountContactsAsync(appId), Done = false };
        await build.WriteStateAsync();
        StartBuildTimer();
    }

    public async Task<SegmentMember?> GetMemberAsync(ContactRef contact) => await store.GetAsync(Key.AppId, Key.SegmentId, contact);

    public Task<long> CountAsync() => store.CountAsync(Key.AppId, Key.SegmentId);

    public Task<IReadOnlyList<SegmentMember>> ListMembersAsync(string? afterContactKey, int limit) =>
        store.ListAsync(Key.AppId, Key.SegmentId, afterContactKey, limit);

    public async Task DeleteAsync()
    {
        _pending.Clear();
        StopBuildTimer();
        build.State.Deleted = true;
        build.State.Done = true;
        await build.WriteStateAsync();
    }

    public async Task FlushAsync()
    {
        if (_pending.Count == 0 || build.State.Deleted)
        {
            return;
        }

        var batch = _pending.ToArray();
        _pending.Clear();
        try
        {
            await store.ApplyAsync(Key.AppId, Key.SegmentId, batch);
            await GrainFactory.GetGrain<ProductEvents.Abstractions.Automations.ISegmentTriggerGrain>(this.GetPrimaryKeyString()).CatchUpAsync();
        }
        catch (Exception ex)
        {
            // Keep them for the next tick: the changes are idempotent, so writing some twice does no harm.
            _pending.InsertRange(0, batch);
            logger.LogWarning(ex, "Segment {Segment}: {Count} membership changes not written yet", this.GetPrimaryKeyString(), batch.Length);
        }
    }

    private Task FlushOnTimerAsync(CancellationToken cancellationToken) => FlushAsync();

    private void StartBuildTimer() =>
        _buildTimer ??= this.RegisterGrainTimer(BuildStepAsync, TimeSpan.Zero, TimeSpan.FromMilliseconds(10));

    /// <summary>One page of the build: the next contacts in key order each evaluate themselves.</summary>
    private async Task BuildStepAsync(CancellationToken cancellationToken)
    {
        var (appId, segmentId) = Key;
        var state = build.State;
        if (state.Done)
        {
            StopBuildTimer();
            return;
        }

        if (_drainUntil != 0)
        {
            // The last contacts' answers travel on the stream; they are delivered between ticks. Wait for them a
            // little before the segment says it is ready.
            if (Environment.TickCount64 < _drainUntil)
            {
                return;
            }

            _drainUntil = 0;
            await FlushAsync();
            state.Done = true;
        }
        else
        {
            var contacts = await log.ListContactsAsync(appId, state.Cursor, BuildPageSize, cancellationToken);
            await Task.WhenAll(contacts.Select(c => GrainFactory.GetGrain<IContactGrain>(GrainKeys.Contact(appId, c)).ReevaluateAsync(false)));
            state.Processed += contacts.Count;
            state.Cursor = contacts.Count > 0 ? ContactKeys.Of(contacts[^1]) : state.Cursor;
            if (contacts.Count < BuildPageSize)
            {
                _drainUntil = Environment.TickCount64 + (long)DrainTime.TotalMilliseconds;
            }
        }

        await build.WriteStateAsync(cancellationToken);
        var progress = state.Total == 0 ? 1 : (double)state.Processed / state.Total;
        var current = await GrainFactory.GetGrain<ISegmentRegistryGrain>(appId).ReportBuildAsync(segmentId, state.Version, progress, state.Done);
        if (!current || state.Done)
        {
            build.State.Done = true;
            StopBuildTimer();
        }
    }

    private void StopBuildTimer()
    {
        _buildTimer?.Dispose();
        _buildTimer = null;
    }
}
