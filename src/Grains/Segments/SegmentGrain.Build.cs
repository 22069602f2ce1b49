using ProductEvents.Abstractions.Segments;
using ProductEvents.Grains.Projections;
using ProductEvents.Grains.Telemetry;

namespace ProductEvents.Grains.Segments;

/// <summary>
/// The build: a walk over every contact of the app in key order, asking each to evaluate itself for this build. A
/// contact answers on the segment's stream after every change it published before, so the build is complete (and the
/// segment ready) once every answer has arrived (<see cref="BuildAnswers"/>) and what arrived is written: a watermark,
/// not a wait. Its progress goes to the registry, which never calls back into a build.
/// </summary>
public sealed partial class SegmentGrain
{
    private const int BuildPageSize = 2000;

    /// <summary>How long a walked build waits for its last stream answers before it asks the contacts still owing one again.</summary>
    private static readonly TimeSpan AnswerWait = TimeSpan.FromSeconds(5);

    private readonly BuildAnswers _answers = new();
    private IGrainTimer? _buildTimer;

    /// <summary>The page after the build's cursor, already evaluating: started by the step before, while its own page finished.</summary>
    private BuildPage? _ahead;

    /// <summary>Every page has evaluated: the build waits for the last answers on the stream.</summary>
    private bool _walked;

    /// <summary>When the contacts still owing an answer are asked again, once the build has walked.</summary>
    private DateTimeOffset _askAgainAt;

    public async Task StartBuildAsync(int version)
    {
        // A message for an older version (one-way messages may overtake each other) or a deleted segment starts nothing.
        if (build.State.Deleted || version < build.State.Version || (build.State.Version == version && build.State.Done))
        {
            return;
        }

        if (build.State.Version != version)
        {
            StopBuild();
            build.State = new SegmentBuildState { Version = version, Total = await log.CountContactsAsync(Key.AppId), Done = false };
            _answers.Reset(version);
            await build.WriteStateAsync();
        }

        StartBuildTimer();
    }

    /// <summary>
    /// In a cluster of several silos, the walk starts once every silo's copy of the definitions holds the segment
    /// (<see cref="SegmentDefinitionCache"/>: twice its refresh interval after the change): a contact whose events
    /// arrive at another silo before then is evaluated without the new segment, so the walk must come after them.
    /// </summary>
    private TimeSpan WalkDelay =>
        membership.CurrentSnapshot.Members.Count(m => m.Value.Status == SiloStatus.Active) > 1
            ? SegmentDefinitionCache.RefreshInterval * 2
            : TimeSpan.Zero;

    private void StartBuildTimer() =>
        _buildTimer ??= this.RegisterGrainTimer(BuildStepAsync, WalkDelay, TimeSpan.FromMilliseconds(10));

    private void StopBuild()
    {
        _buildTimer?.Dispose();
        _buildTimer = null;
        _ahead = null;
        _walked = false;
    }

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
            StopBuild();
            return;
        }

        if (_walked)
        {
            // Every contact answered its call; the build is complete once their answers on the stream are in and written.
            if (!_answers.AllArrived)
            {
                AskAgainWhenDue(appId, state.Version);
                return;
            }

            await Writer.FlushAsync();
            if (Writer.Pending > 0)
            {
                return;
            }

            state.Done = true;
            SegmentMetrics.BuildCompleted(appId);
        }
        else if (!await WalkPageAsync(appId, state, cancellationToken))
        {
            return;
        }

        await build.WriteStateAsync(cancellationToken);
        var progress = state.Total == 0 ? 1 : (double)state.Processed / state.Total;
        var current = await GrainFactory.GetGrain<ISegmentRegistryGrain>(appId).ReportBuildAsync(segmentId, state.Version, progress, state.Done);
        if (!current || state.Done)
        {
            build.State.Done = true;
            StopBuild();
        }
    }

    /// <summary>Evaluates the page at the cursor and moves the cursor past it; false when it is to be tried again.</summary>
    private async Task<bool> WalkPageAsync(string appId, SegmentBuildState state, CancellationToken cancellationToken)
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
            return false;
        }

        state.Processed += page.Contacts.Count;
        SegmentMetrics.BuildEvaluated(appId, page.Contacts.Count);
        state.Cursor = page.Contacts.Count > 0 ? ContactKeys.Of(page.Contacts[^1]) : state.Cursor;
        _walked = page.Contacts.Count < BuildPageSize;
        _askAgainAt = clock.GetUtcNow() + AnswerWait;
        return true;
    }

    /// <summary>
    /// A stream answer can be lost (a delivery that failed while this grain was busy, or aged out of the stream's
    /// cache): the build would wait for it for ever. Past <see cref="AnswerWait"/>, the contacts still owing one are
    /// asked again; one whose call fails stays owing and is asked again after the next wait.
    /// </summary>
    private void AskAgainWhenDue(string appId, int version)
    {
        if (clock.GetUtcNow() < _askAgainAt)
        {
            return;
        }

        _askAgainAt = clock.GetUtcNow() + AnswerWait;
        var owing = _answers.ForgetOutstanding();
        logger.LogWarning("Segment {Segment}: {Count} contacts' build answers did not arrive within {Wait}; asking them again",
            this.GetPrimaryKeyString(), owing.Count, AnswerWait);
        var segmentId = Key.SegmentId;
        foreach (var key in owing)
        {
            _ = AskAgainAsync(key);
        }

        async Task AskAgainAsync(string key)
        {
            try
            {
                await GrainFactory.GetKeyedGrain<IContactProjectionGrain>(GrainKeys.Contact(appId, ContactKeys.Parse(key))).EvaluateForBuildAsync(segmentId, version);
            }
            catch (Exception ex)
            {
                logger.LogDebug(ex, "Segment {Segment}: contact {Contact} could not be asked again; it is asked again after the next wait", this.GetPrimaryKeyString(), key);
            }

            // Answered or not, it owes an answer now: one on its way, or one it is asked for again.
            _answers.Answered(version, key);
        }
    }

    private async Task<BuildPage> StartPageAsync(string appId, int version, string? from, CancellationToken cancellationToken)
    {
        var contacts = await log.ListContactsAsync(appId, from, BuildPageSize, cancellationToken);
        return new BuildPage(version, from, contacts, EvaluateAsync(appId, version, contacts));
    }

    private async Task<bool> EvaluateAsync(string appId, int version, IReadOnlyList<ContactRef> contacts)
    {
        var segmentId = Key.SegmentId;
        try
        {
            await Task.WhenAll(contacts.Select(async c =>
            {
                await GrainFactory.GetKeyedGrain<IContactProjectionGrain>(GrainKeys.Contact(appId, c)).EvaluateForBuildAsync(segmentId, version);
                _answers.Answered(version, ContactKeys.Of(c));
            }));
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
