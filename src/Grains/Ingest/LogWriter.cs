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
/// applies again the entries after the position its predecessor recorded; grains skip what they hold.
/// Each request is first held against its app's quota (<see cref="AppQuotas"/>): here every request of the cluster passes.
/// </summary>
internal sealed class LogWriter(IEventLog log, IGrainFactory grains, IngestOptions options, QuotaOptions quotas, ILogger logger)
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
    private readonly AppQuotas _quotas = new(quotas);

    private int _unapplied;
    private Task _applied = Task.CompletedTask;
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
        var committed = commit.Committed.ToArray();
        var applied = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (committed.Length > 0)
        {
            Interlocked.Add(ref _unapplied, committed.Length);
            Volatile.Write(ref _applied, applied.Task);
        }

        foreach (var work in batch)
        {
            work.Completion.TrySetResult(commit.Failures.TryGetValue(work, out var failure) ? CommitAnswer.Failed(failure) : CommitAnswer.Of(commit.Outcomes[work]));
        }

        if (committed.Length > 0)
        {
            _committed.Writer.TryWrite(new CommittedWork(committed, commit.AllNewKeys(), applied));
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

    /// <summary>Every commit failure is logged; it is answered 503, with Retry-After.</summary>
    private string Failure(Exception ex, int events)
    {
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

    /// <summary>
    /// Applies again what the writer before may not have applied, then commits in order. Whatever has been committed
    /// while the previous step ran (up to <see cref="IngestOptions.MaxApplyEvents"/>) is applied as one step.
    /// </summary>
    private async Task ApplyLoopAsync(TaskCompletionSource recovered)
    {
        try
        {
            await ApplyAgainAsync();
        }
        catch (OperationCanceledException) when (_abandon.IsCancellationRequested)
        {
        }
        finally
        {
            recovered.TrySetResult();
        }

        var recordedAt = Stopwatch.GetTimestamp();
        var reader = _committed.Reader;
        var step = new List<CommittedWork>();
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            var count = 0;
            while (count < options.MaxApplyEvents && reader.TryRead(out var work))
            {
                step.Add(work);
                count += work.Events.Length;
            }

            if (step.Count > 0 && !_abandon.IsCancellationRequested)
            {
                await ApplyStepAsync(step, count);
            }

            foreach (var work in step)
            {
                Interlocked.Add(ref _unapplied, -work.Events.Length);
                work.Applied.TrySetResult();
            }

            step.Clear();
            if (Stopwatch.GetElapsedTime(recordedAt) >= RecordAppliedEvery)
            {
                recordedAt = Stopwatch.GetTimestamp();
                await RecordAppliedAsync();
            }
        }

        await RecordAppliedAsync();
    }

    private async Task ApplyStepAsync(List<CommittedWork> step, int count)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using (WriterTelemetry.StartApply(step))
            {
                await ApplyToGrainsAsync(step.Count == 1 ? step[0].Events : [.. step.SelectMany(w => w.Events)], NewKeysOf(step));
            }

            _appliedSeq = Math.Max(_appliedSeq, step[^1].Events[^1].Seq);
            WriterTelemetry.Applied(step);
            LogIfSlow("apply step", count, started);
        }
        catch (OperationCanceledException) when (_abandon.IsCancellationRequested)
        {
            logger.LogWarning("Stopping with {Count} committed events not yet applied to their grains; the next writer applies them", count);
        }
    }

    /// <summary>The entries after the applied position the writer before recorded, applied again in steps, in log order.</summary>
    private async Task ApplyAgainAsync()
    {
        var total = 0;
        while (true)
        {
            var after = _appliedSeq;
            var entries = await UntilDoneAsync(() => log.ReadAfterAsync(after, options.MaxApplyEvents, _abandon.Token), "read the entries to apply again");
            if (entries.Count == 0)
            {
                break;
            }

            await ApplyToGrainsAsync([.. entries], NewKeys.None);
            _appliedSeq = entries[^1].Seq;
            total += entries.Count;
            if (entries.Count < options.MaxApplyEvents)
            {
                break;
            }
        }

        if (total > 0)
        {
            logger.LogInformation("Applied {Count} committed entries again after taking over the log's writing (grains skip those they hold)", total);
        }
    }

    private async Task RecordAppliedAsync()
    {
        try
        {
            await log.RecordAppliedAsync(_appliedSeq);
        }
        catch (Exception ex)
        {
            // Only lengthens what the next writer applies again.
            logger.LogDebug(ex, "The applied position {Seq} could not be recorded", _appliedSeq);
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

    /// <summary>
    /// Products first, then contacts: a contact evaluating its segments reads the products' attributes, and must see
    /// the values its own events just wrote. Each call that fails is made again until it succeeds.
    /// </summary>
    private async Task ApplyToGrainsAsync(ProductEventRecord[] committed, NewKeys fresh)
    {
        await UntilAppliedAsync(committed
            .GroupBy(e => GrainKeys.Product(e.AppId, e.ProductId))
            .Select(group => (Key: group.Key, Entries: group.ToArray()))
            .Select(g => (Func<Task>)(() => grains.GetGrain<IProductProjectionGrain>(g.Key).ApplyAsync(g.Entries, fresh.Products.Contains(g.Key))))
            .ToList());

        var owners = await UntilDoneAsync(() => ContactRouting.OwnersAsync(log, committed), "look up merged visitors");
        await UntilAppliedAsync(committed
            .GroupBy(e => GrainKeys.Contact(e.AppId, ContactRouting.ContactOf(e, owners)))
            .Select(group => (Key: group.Key, Entries: group.ToArray()))
            .Select(g => (Func<Task>)(() => grains.GetGrain<IContactProjectionGrain>(g.Key).ApplyAsync(g.Entries, fresh.Contacts.Contains(g.Key))))
            .ToList());
    }

    /// <summary>Makes the calls, then again those that failed, until every one has succeeded (or the stop gives up).</summary>
    private async Task UntilAppliedAsync(List<Func<Task>> calls)
    {
        for (var attempt = 1; ; attempt++)
        {
            var tasks = calls.ConvertAll(call => call());
            try
            {
                await Task.WhenAll(tasks);
                return;
            }
            catch
            {
                // Each failed call is made again below.
            }

            var failed = new List<Func<Task>>();
            Exception? first = null;
            for (var i = 0; i < tasks.Count; i++)
            {
                if (!tasks[i].IsCompletedSuccessfully)
                {
                    failed.Add(calls[i]);
                    first ??= tasks[i].Exception?.GetBaseException();
                }
            }

            WriterMetrics.Retried(failed.Count);
            LogRetry(first, attempt, $"{failed.Count} grain calls applying committed entries");
            calls = failed;
            await Task.Delay(RetryDelay(attempt), _abandon.Token);
        }
    }

    private async Task<T> UntilDoneAsync<T>(Func<Task<T>> read, string what)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await read();
            }
            catch (Exception ex)
            {
                _abandon.Token.ThrowIfCancellationRequested();
                LogRetry(ex, attempt, $"The writer could not {what}:");
            }

            await Task.Delay(RetryDelay(attempt), _abandon.Token);
        }
    }

    private void LogRetry(Exception? ex, int attempt, string what)
    {
        if (attempt == 1 || attempt % 10 == 0)
        {
            logger.LogWarning(ex, "{What} failed (attempt {Attempt}); trying again until it succeeds", what, attempt);
        }
    }

    private static TimeSpan RetryDelay(int attempt) =>
        TimeSpan.FromTicks(Math.Min(MaxRetryDelay.Ticks, FirstRetryDelay.Ticks << Math.Min(attempt - 1, 10)));

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
