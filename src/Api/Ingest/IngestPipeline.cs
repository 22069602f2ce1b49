using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ProductEvents.Api.Telemetry;

namespace ProductEvents.Api.Ingest;

/// <summary>
/// Group commit: concurrent requests queue their events, one writer appends whatever has gathered in a single log
/// commit and answers the requests as soon as it is committed. The committed entries then go to the product and
/// contact grains, strictly in commit order (every grain sees its entries in log order) while the next commits
/// proceed; reads of grains wait for that (<see cref="WhenAppliedAsync"/>). Commits that gathered while the grains
/// were busy are applied together, so a backlog costs one round of grain calls, not one per commit.
/// </summary>
public sealed class IngestPipeline(
    IEventLog log,
    IGrainFactory grains,
    IOptions<IngestOptions> options,
    ILogger<IngestPipeline> logger) : BackgroundService
{
    private readonly Channel<IngestWork> _queue = Channel.CreateUnbounded<IngestWork>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<CommittedWork> _committed = Channel.CreateUnbounded<CommittedWork>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private static readonly TimeSpan SlowStep = TimeSpan.FromMilliseconds(50);

    private int _queued;
    private int _unapplied;
    private Task _applied = Task.CompletedTask;

    /// <summary>
    /// Resolves, in order, to what the log did with each event, once they are committed and applied. Throws
    /// <see cref="IngestOverloadedException"/> when the queue is full and <see cref="EventLogUnavailableException"/>
    /// when the log cannot commit; in both cases nothing of the request was stored.
    /// </summary>
    public Task<AppendOutcome[]> SubmitAsync(ProductEventRecord[] events)
    {
        if (Interlocked.Add(ref _queued, events.Length) > options.Value.QueueCapacity)
        {
            Interlocked.Add(ref _queued, -events.Length);
            throw new IngestOverloadedException();
        }

        var work = new IngestWork(events);
        if (!_queue.Writer.TryWrite(work))
        {
            Interlocked.Add(ref _queued, -events.Length);
            throw new EventLogUnavailableException("The service is shutting down.");
        }

        return work.Completion.Task;
    }

    /// <summary>
    /// Completes once every entry committed so far has reached its grains: a read of a product or a contact awaits it
    /// first, so a client reads its own acknowledged writes (an answer waits only for the commit).
    /// </summary>
    public Task WhenAppliedAsync() => Volatile.Read(ref _applied);

    internal int QueuedEvents => Volatile.Read(ref _queued);

    internal int UnappliedEvents => Volatile.Read(ref _unapplied);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Stop taking new events, then let the writer commit and apply what is already queued.
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var observed = IngestMetrics.Observe(this);
        var applying = Task.Run(ApplyLoopAsync, CancellationToken.None);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            var batch = new List<IngestWork>();
            var count = Drain(reader, batch, 0);
            if (count < options.Value.MaxBatchEvents && options.Value.MaxBatchDelay > TimeSpan.Zero)
            {
                await Task.Delay(options.Value.MaxBatchDelay, CancellationToken.None);
                Drain(reader, batch, count);
            }

            await CommitAsync(batch);
        }

        _committed.Writer.TryComplete();
        await applying;
    }

    private int Drain(ChannelReader<IngestWork> reader, List<IngestWork> batch, int count)
    {
        while (count < options.Value.MaxBatchEvents && reader.TryRead(out var work))
        {
            batch.Add(work);
            count += work.Events.Length;
        }

        return count;
    }

    private async Task CommitAsync(List<IngestWork> batch)
    {
        // Grain updates follow commits; when they fall too far behind, commits wait (and the queue fills: 429).
        if (Volatile.Read(ref _unapplied) > options.Value.MaxUnappliedEvents)
        {
            await _applied;
        }

        using var activity = IngestTelemetry.StartCommit(batch);
        var started = Stopwatch.GetTimestamp();
        var commit = new CommitResults();
        await AppendIsolatingAsync(batch, commit);
        var events = batch.Sum(w => w.Events.Length);
        IngestTelemetry.Committed(activity, events, started, failed: commit.Failures.Count > 0);
        LogIfSlow("commit", events, started);

        // Durable now. Reads wait for the grains to hold this commit: that wait must be in place before any request is
        // answered, or a client reading right after its 202 could pass the previous commit's and read stale state.
        var committed = commit.Committed.ToArray();
        var applied = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (committed.Length > 0)
        {
            Interlocked.Add(ref _unapplied, committed.Length);
            Volatile.Write(ref _applied, applied.Task);
        }

        foreach (var work in batch)
        {
            Interlocked.Add(ref _queued, -work.Events.Length);
            if (commit.Failures.TryGetValue(work, out var failure))
            {
                work.Completion.TrySetException(failure);
            }
            else
            {
                work.Completion.TrySetResult(commit.Outcomes[work]);
            }
        }

        if (committed.Length > 0)
        {
            _committed.Writer.TryWrite(new CommittedWork(committed, commit.AllNewKeys(), applied));
        }
    }

    /// <summary>
    /// Appends the requests' events in one commit. When PostgreSQL refuses a value of it (a gap in validation), one
    /// request must not fail the others: the requests are split in halves and committed apart, down to the events of
    /// the one request that holds the value, and the refused events are answered 400. Each request is committed whole
    /// or not at all, but for a request of several events holding a refused value when an outage strikes between its
    /// halves: that one is answered 503 with part of it committed (its event_ids make the retry safe).
    /// </summary>
    private async Task AppendIsolatingAsync(IReadOnlyList<IngestWork> works, CommitResults commit)
    {
        var events = works.Count == 1 ? works[0].Events : works.SelectMany(w => w.Events).ToArray();
        try
        {
            var appended = await log.AppendAsync(events);
            commit.Add(appended);
            var offset = 0;
            foreach (var work in works)
            {
                commit.Outcomes[work] = appended.Outcomes[offset..(offset + work.Events.Length)];
                offset += work.Events.Length;
            }
        }
        catch (EventLogDataException) when (works.Count > 1)
        {
            var half = works.Count / 2;
            await AppendIsolatingAsync(works.Take(half).ToArray(), commit);
            await AppendIsolatingAsync(works.Skip(half).ToArray(), commit);
        }
        catch (EventLogDataException)
        {
            var work = works[0];
            var outcomes = new AppendOutcome[work.Events.Length];
            try
            {
                await AppendEventsIsolatingAsync(work.Events, 0, work.Events.Length, outcomes, commit);
                commit.Outcomes[work] = outcomes;
            }
            catch (Exception ex)
            {
                commit.Failures[work] = Failure(ex, events.Length);
            }
        }
        catch (Exception ex)
        {
            var failure = Failure(ex, events.Length);
            foreach (var work in works)
            {
                commit.Failures[work] = failure;
            }
        }
    }

    private async Task AppendEventsIsolatingAsync(ProductEventRecord[] events, int start, int count, AppendOutcome[] outcomes, CommitResults commit)
    {
        try
        {
            var appended = await log.AppendAsync(new ArraySegment<ProductEventRecord>(events, start, count));
            commit.Add(appended);
            appended.Outcomes.CopyTo(outcomes, start);
        }
        catch (EventLogDataException ex) when (count == 1)
        {
            var e = events[start];
            logger.LogError(ex, "Validation gap: the event log refused an event that passed validation (app {AppId}, product {ProductId}, event_id {EventId}); answered 400",
                e.AppId, e.ProductId, e.EventId);
            outcomes[start] = AppendOutcome.Refused($"holds a value the event log cannot store: {ex.InnerException?.Message ?? ex.Message}");
        }
        catch (EventLogDataException)
        {
            var half = count / 2;
            await AppendEventsIsolatingAsync(events, start, half, outcomes, commit);
            await AppendEventsIsolatingAsync(events, start + half, count - half, outcomes, commit);
        }
    }

    /// <summary>Every commit failure is logged; an outage is answered 503, with Retry-After.</summary>
    private EventLogUnavailableException Failure(Exception ex, int events)
    {
        if (ex is EventLogUnavailableException unavailable)
        {
            logger.LogWarning(ex.InnerException, "The event log could not commit {Count} events: {Reason}", events, ex.Message);
            return unavailable;
        }

        logger.LogError(ex, "Event log append failed for {Count} events", events);
        return new EventLogUnavailableException("The event log could not commit.", ex);
    }

    /// <summary>
    /// Applies commits in order. Whatever has been committed while the previous step ran (up to
    /// <see cref="IngestOptions.MaxApplyEvents"/>) is applied as one step: one call per grain.
    /// </summary>
    private async Task ApplyLoopAsync()
    {
        var reader = _committed.Reader;
        var step = new List<CommittedWork>();
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            var count = 0;
            while (count < options.Value.MaxApplyEvents && reader.TryRead(out var work))
            {
                step.Add(work);
                count += work.Events.Length;
            }

            var started = Stopwatch.GetTimestamp();
            using (IngestTelemetry.StartApply(step))
            {
                await ApplyToGrainsAsync(step.Count == 1 ? step[0].Events : [.. step.SelectMany(w => w.Events)], NewKeysOf(step));
            }

            IngestTelemetry.Applied(step);
            LogIfSlow("apply step", count, started);
            foreach (var work in step)
            {
                Interlocked.Add(ref _unapplied, -work.Events.Length);
                work.Applied.TrySetResult();
            }

            step.Clear();
        }
    }

    /// <summary>
    /// A key is new to a step when it is new to the commit holding its first entries in the step; in any later commit
    /// it has entries before, so the union of the commits' new keys is the step's.
    /// </summary>
    private static NewKeys NewKeysOf(List<CommittedWork> step) =>
        step.Count == 1
            ? step[0].NewKeys
            : new NewKeys(
                step.SelectMany(w => w.NewKeys.Products).ToHashSet(StringComparer.Ordinal),
                step.SelectMany(w => w.NewKeys.Contacts).ToHashSet(StringComparer.Ordinal));

    /// <summary>Debug: commits and apply steps slower than <see cref="SlowStep"/>, to see where latency spikes come from.</summary>
    private void LogIfSlow(string what, int events, long started)
    {
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (elapsed >= SlowStep)
        {
            logger.LogDebug("Slow {What}: {Events} events in {Ms:0} ms", what, events, elapsed.TotalMilliseconds);
        }
    }

    /// <summary>
    /// Products first, then contacts: a contact evaluating its segments reads the products' attributes, and must see
    /// the values its own events just wrote.
    /// </summary>
    private async Task ApplyToGrainsAsync(ProductEventRecord[] committed, NewKeys fresh)
    {
        try
        {
            await Task.WhenAll(committed
                .GroupBy(e => GrainKeys.Product(e.AppId, e.ProductId))
                .Select(group => grains.GetKeyedGrain<IProductGrain>(group.Key).ApplyAsync([.. group], fresh.Products.Contains(group.Key))));

            var owners = await ContactRouting.OwnersAsync(log, committed, logger);
            await Task.WhenAll(committed
                .GroupBy(e => GrainKeys.Contact(e.AppId, ContactRouting.ContactOf(e, owners)))
                .Select(group => grains.GetKeyedGrain<IContactGrain>(group.Key).ApplyAsync([.. group], fresh.Contacts.Contains(group.Key))));
        }
        catch (Exception ex)
        {
            // The entries are committed: a grain that missed them replays them from the log when it next activates.
            logger.LogWarning(ex, "Applying {Count} committed events to grains failed", committed.Length);
        }
    }
}
