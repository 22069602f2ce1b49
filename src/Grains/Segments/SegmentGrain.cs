using Microsoft.Extensions.Logging;
using Orleans.Streams;
using ProductEvents.Abstractions;
using ProductEvents.Abstractions.Segments;
using ProductEvents.Storage.EventLog;
using ProductEvents.Storage.Segments;

namespace ProductEvents.Grains.Segments;

/// <summary>
/// The segment side of membership: changes arrive from contacts on the segment's stream (only changes, never the
/// events behind them) and are written to the membership store as they come, in batches of whatever arrived during
/// the previous write (<see cref="MembershipWriter"/>). A build walks every contact of the
/// app through the log and asks each to evaluate itself; contacts answer on the same stream.
/// </summary>
[ImplicitStreamSubscription(StreamNames.SegmentMembership)]
public sealed class SegmentGrain(
    [PersistentState("segment-build", StorageNames.Snapshots)] IPersistentState<SegmentBuildState> build,
    ISegmentMembershipStore store,
    IEventLogReader log,
    ILogger<SegmentGrain> logger) : Grain, ISegmentGrain
{
    private const int BuildPageSize = 2000;

    /// <summary>Only a safety net: writes start as changes arrive; this retries a failed one.</summary>
    private static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(100);

    private static readonly TimeSpan DrainTime = TimeSpan.FromMilliseconds(250);

    private MembershipWriter? _writer;
    private IGrainTimer? _buildTimer;
    private long _drainUntil;

    /// <summary>The page after the build's cursor, already evaluating: started by the step before, while its own page finished.</summary>
    private BuildPage? _ahead;

    private (string AppId, string SegmentId) Key => GrainKeys.Split(this.GetPrimaryKeyString());

    private MembershipWriter Writer => _writer ??= new MembershipWriter(WriteAsync, logger, this.GetPrimaryKeyString());

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var stream = this.GetStreamProvider(StreamNames.Provider)
            .GetStream<MembershipChange>(StreamId.Create(StreamNames.SegmentMembership, this.GetPrimaryKeyString()));
        await stream.SubscribeAsync((change, _) =>
        {
            if (!build.State.Deleted)
            {
                Writer.Add(change);
            }

            return Task.CompletedTask;
        });
        this.RegisterGrainTimer(RetryOnTimer, FlushInterval, FlushInterval);
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
        _ahead = null;
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
        Writer.Clear();
        StopBuildTimer();
        _ahead = null;
        build.State.Deleted = true;
        build.State.Done = true;

        // A write under way finishes before the caller deletes the segment's rows, so it cannot add any after them.
        await Writer.IdleAsync();
        await build.WriteStateAsync();
    }

    public Task FlushAsync() => build.State.Deleted ? Task.CompletedTask : Writer.FlushAsync();

    private async Task WriteAsync(MembershipChange[] batch)
    {
        await store.ApplyAsync(Key.AppId, Key.SegmentId, batch);
        await GrainFactory.GetGrain<ProductEvents.Abstractions.Automations.ISegmentTriggerGrain>(this.GetPrimaryKeyString()).CatchUpAsync();
    }

    private Task RetryOnTimer(CancellationToken cancellationToken)
    {
        Writer.Start();
        return Task.CompletedTask;
    }

    private void StartBuildTimer() =>
        _buildTimer ??= this.RegisterGrainTimer(BuildStepAsync, TimeSpan.Zero, TimeSpan.FromMilliseconds(10));

    /// <summary>
    /// One page of the build: the next contacts in key order each evaluate themselves. Two pages are under way at a time:
    /// the next page starts evaluating before this one's slowest contacts are done, so the silo does not sit waiting on a
    /// few stragglers. The cursor (what a restart resumes from) passes a page only once all of it has evaluated.
    /// </summary>
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
            var page = _ahead is { } ahead && ahead.Version == state.Version && ahead.From == state.Cursor
                ? ahead
                : await StartPageAsync(appId, state.Version, state.Cursor, cancellationToken);
            _ahead = page.Contacts.Count == BuildPageSize
                ? await StartPageAsync(appId, state.Version, ContactKeys.Of(page.Contacts[^1]), cancellationToken)
                : null;
            if (!await page.Evaluated)
            {
                // Tried again at the next tick, from the same cursor.
                _ahead = null;
                return;
            }

            var contacts = page.Contacts;
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
            _ahead = null;
            StopBuildTimer();
        }
    }

    private void StopBuildTimer()
    {
        _buildTimer?.Dispose();
        _buildTimer = null;
    }

    private async Task<BuildPage> StartPageAsync(string appId, int version, string? from, CancellationToken cancellationToken)
    {
        var contacts = await log.ListContactsAsync(appId, from, BuildPageSize, cancellationToken);
        return new BuildPage(version, from, contacts, EvaluateAsync(appId, contacts));
    }

    private async Task<bool> EvaluateAsync(string appId, IReadOnlyList<ContactRef> contacts)
    {
        try
        {
            await Task.WhenAll(contacts.Select(c => GrainFactory.GetKeyedGrain<IContactGrain>(GrainKeys.Contact(appId, c)).ReevaluateAsync(false)));
            return true;
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Segment {Segment}: a build page failed to evaluate; it is tried again", this.GetPrimaryKeyString());
            return false;
        }
    }

    private sealed record BuildPage(int Version, string? From, IReadOnlyList<ContactRef> Contacts, Task<bool> Evaluated);
}
