using System.Diagnostics;
using System.Threading.Channels;
using ProductEvents.Grains.Projections;
using ProductEvents.Grains.Telemetry;
using ProductEvents.Storage.EventLog;

namespace ProductEvents.Grains.Ingest;

/// <summary>
/// The cluster's group commit, run by <see cref="LogWriterGrain"/>. The requests of every front door queue here; one
/// loop appends whatever has gathered in a single log commit and answers the requests as soon as it is committed. The
/// committed entries then go to the product and contact grains, strictly in commit order, while the next commits
/// proceed; a grain call that fails is made again until it succeeds, so no grain passes over an entry. Commits that
/// gathered while the grains were busy are applied as one step, one call per grain. A writer that takes over first
/// applies again the entries after the position its predecessor recorded; grains skip what they hold. So does the apply
/// after a commit whose outcome is unknown (PostgreSQL lost with the reply: the entries may be in the log though their
/// requests were answered 503), before any later commit reaches the grains.
/// Each request is first held against its app's quota (<see cref="AppQuotas"/>): here every request of the cluster passes.
/// </summary>
internal sealed partial class LogWriter(IEventLog log, IGrainFactory grains, IngestOptions options, QuotaOptions quotas, ILogger logger)
{
    private static readonly TimeSpan SlowStep = TimeSpan.FromMilliseconds(50);

    /// <summary>How often the applied position is recorded: what a writer taking over applies again is at most this much.</summary>
    private static readonly TimeSpan RecordAppliedEvery = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(1);

    private readonly Channel<WriterWork> _queue = Channel.CreateUnbounded<WriterWork>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<CommittedWork> _committed = Channel.CreateUnbounded<CommittedWork>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    /// <summary>Cancelled when a stop runs out of time: the apply gives up, and the next writer applies the rest again.</summary>
    private readonly CancellationTokenSource _abandon = new();
    private readonly AnalyticsFeed _analytics = new(grains, logger);
    private readonly AppQuotas _quotas = new(quotas);

    private int _unapplied;
    private Task _applied = Task.CompletedTask;

    /// <summary>Completes once the latest read-back after a commit of unknown outcome has applied what it found.</summary>
    private Task _readBack = Task.CompletedTask;
    private Task _running = Task.CompletedTask;
    private IDisposable? _observed;
    private volatile bool _fenced;

    /// <summary>Every entry through this position has reached its grains.</summary>
    private long _appliedSeq;

    /// <summary>Another process has taken the writing over: this writer commits nothing more.</summary>
    public bool Fenced => _fenced;

    internal int UnappliedEvents => Volatile.Read(ref _unapplied);

    /// <summary>Starts committing at once; reads wait until the entries after <see cref="WriterTakeover.AppliedThrough"/> are applied again.</summary>
    public void Start(WriterTakeover takeover)
    {
        _appliedSeq = takeover.AppliedThrough;
        _analytics.Start(takeover.AppliedThrough, _abandon.Token);
        var recovered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _applied = recovered.Task;
        _observed = WriterMetrics.Observe(this);
        var committing = Task.Run(CommitLoopAsync);
        var applying = Task.Run(() => ApplyLoopAsync(recovered));
        _running = Task.WhenAll(committing, applying);
    }

    /// <summary>Answers, per request, what the log did with its events once they are committed.</summary>
    public Task<CommitAnswer[]> CommitAsync(LogWriteRequest[] requests)
    {
        var answers = new Task<CommitAnswer>[requests.Length];
        for (var i = 0; i < requests.Length; i++)
        {
            var work = new WriterWork(requests[i]);
            if (!_queue.Writer.TryWrite(work))
            {
                work.Completion.TrySetResult(CommitAnswer.Failed("The event log's writer is stopping."));
            }

            answers[i] = work.Completion.Task;
        }

        return Task.WhenAll(answers);
    }

    /// <summary>Completes once every entry committed so far has reached its grains.</summary>
    public Task WhenAppliedAsync() => Volatile.Read(ref _applied);

    /// <summary>
    /// Commits what is queued and applies what is committed; when <paramref name="cancellationToken"/> fires first, the
    /// apply gives up (the entries are committed: the next writer applies them again).
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await using (cancellationToken.Register(_abandon.Cancel))
        {
            await _running;
        }

        _observed?.Dispose();
    }

    private async Task CommitLoopAsync()
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            var batch = new List<WriterWork>();
            var count = Drain(reader, batch, 0);
            if (count < options.MaxBatchEvents && options.MaxBatchDelay > TimeSpan.Zero)
            {
                await Task.Delay(options.MaxBatchDelay, CancellationToken.None);
                Drain(reader, batch, count);
            }

            await CommitBatchAsync(batch);
        }

        _committed.Writer.TryComplete();
    }

    private int Drain(ChannelReader<WriterWork> reader, List<WriterWork> batch, int count)
    {
        while (count < options.MaxBatchEvents && reader.TryRead(out var work))
        {
            batch.Add(work);
            count += work.Events.Length;
        }

        return count;
    }

    private async Task CommitBatchAsync(List<WriterWork> batch)
    {
        // Grain updates follow commits; when they fall too far behind, commits wait (and the front doors' queues fill: 429).
        if (Volatile.Read(ref _unapplied) > options.MaxUnappliedEvents)
        {
            await Volatile.Read(ref _applied);
        }

        batch = Admitted(batch);
        if (batch.Count == 0)
        {
            return;
        }

        using var activity = WriterTelemetry.StartCommit(batch);
        var started = Stopwatch.GetTimestamp();
        var commit = new CommitResults();
        if (_fenced)
        {
            foreach (var work in batch)
            {
                commit.Failures[work] = FencedAnswer;
            }
        }
        else
        {
            await AppendIsolatingAsync(batch, commit);
        }

        var events = batch.Sum(w => w.Events.Length);
        WriterTelemetry.Committed(activity, events, started, failed: commit.Failures.Count > 0);
        LogIfSlow("commit", events, started);

        // Durable now. Reads wait for the grains to hold this commit: that wait must be in place before any request is
        // answered, or a client reading right after its 202 could pass the previous commit's and read stale state.
        // An append whose outcome is unknown makes the apply read the log back before any later commit reaches the
        // grains: were its entries committed, a later entry of the same key would otherwise pass them by for good. Reads
        // do not wait for that read-back (no request was answered 202 for those entries; during an outage it waits for
        // PostgreSQL), only for the commits answered 202, whose apply follows it; and a commit of duplicates alone (a
        // retry of such an entry, answered 202 "duplicate") makes them wait for it too.
        var committed = commit.Committed.ToArray();
        var applied = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (committed.Length > 0)
        {
            Interlocked.Add(ref _unapplied, committed.Length);
            Volatile.Write(ref _applied, applied.Task);
        }
        else if (commit.Outcomes.Count > 0 && !_readBack.IsCompleted)
        {
            Volatile.Write(ref _applied, Task.WhenAll(Volatile.Read(ref _applied), _readBack));
        }

        if (commit.OutcomeUnknown)
        {
            _readBack = applied.Task;
        }

        foreach (var work in batch)
        {
            work.Completion.TrySetResult(commit.Failures.TryGetValue(work, out var failure) ? CommitAnswer.Failed(failure) : CommitAnswer.Of(commit.Outcomes[work]));
        }

        if (committed.Length > 0 || commit.OutcomeUnknown)
        {
            _committed.Writer.TryWrite(new CommittedWork(committed, commit.AllNewKeys(), applied, readBack: commit.OutcomeUnknown));
        }
    }

    /// <summary>The requests within their app's quota; the others are answered at once (429), nothing of them stored.</summary>
    private List<WriterWork> Admitted(List<WriterWork> batch)
    {
        var admitted = batch;
        for (var i = 0; i < batch.Count; i++)
        {
            var work = batch[i];
            if (work.Events.Length > 0 && _quotas.TryTake(work.Events[0].AppId, work.Events.Length) is { } exceeded)
            {
                admitted = admitted == batch ? batch[..i] : admitted;
                work.Completion.TrySetResult(new CommitAnswer(null, null, exceeded));
            }
            else if (admitted != batch)
            {
                admitted.Add(work);
            }
        }

        return admitted;
    }

    private const string FencedAnswer = "Another process writes the event log now; send the request again.";

    /// <summary>
    /// Appends the requests' events in one commit. When PostgreSQL refuses a value of it (a gap in validation), one
    /// request must not fail the others: the requests are split in halves and committed apart, down to the events of
    /// the one request that holds the value, and the refused events are answered 400. Each request is committed whole
    /// or not at all, but for a request of several events holding a refused value when an outage strikes between its
    /// halves: that one is answered 503 with part of it committed (its event_ids make the retry safe).
    /// </summary>
    private async Task AppendIsolatingAsync(IReadOnlyList<WriterWork> works, CommitResults commit)
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
                commit.Failures[work] = Failure(ex, events.Length, commit);
            }
        }
        catch (Exception ex)
        {
            var failure = Failure(ex, events.Length, commit);
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

    /// <summary>
    /// Every commit failure is logged; it is answered 503, with Retry-After. But for a fenced writer (checked before
    /// anything is written), the append may have committed all the same: <see cref="CommitResults.OutcomeUnknown"/>.
    /// </summary>
    private string Failure(Exception ex, int events, CommitResults commit)
    {
        commit.OutcomeUnknown |= ex is not EventLogFencedException;
        switch (ex)
        {
            case EventLogFencedException:
                _fenced = true;
                logger.LogWarning("{Reason} This writer stops; {Count} events answered 503", ex.Message, events);
                return FencedAnswer;
            case EventLogUnavailableException:
                logger.LogWarning(ex.InnerException, "The event log could not commit {Count} events: {Reason}", events, ex.Message);
                return ex.Message;
            default:
                logger.LogError(ex, "Event log append failed for {Count} events", events);
                return "The event log could not commit.";
        }
    }

    /// <summary>Debug: commits and apply steps slower than <see cref="SlowStep"/>, to see where latency spikes come from.</summary>
    private void LogIfSlow(string what, int events, long started)
    {
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (elapsed >= SlowStep)
        {
            logger.LogDebug("Slow {What}: {Events} events in {Ms:0} ms", what, events, elapsed.TotalMilliseconds);
        }
    }
}
