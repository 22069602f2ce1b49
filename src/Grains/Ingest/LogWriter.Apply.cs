using System.Diagnostics;
using ProductEvents.Grains.Projections;
using ProductEvents.Grains.Telemetry;
using ProductEvents.Storage.EventLog;

namespace ProductEvents.Grains.Ingest;

/// <summary>The apply side of the writer: committed entries to their grains, in log order, every failed call made again.</summary>
internal sealed partial class LogWriter
{
    /// <summary>
    /// Applies again what the writer before may not have applied, then commits in order. Whatever has been committed
    /// while the previous step ran (up to <see cref="IngestOptions.MaxApplyEvents"/>) is applied as one step.
    /// </summary>
    private async Task ApplyLoopAsync(TaskCompletionSource recovered)
    {
        try
        {
            await ApplyAgainAsync("after taking over the log's writing");
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
                if (work.ReadBack)
                {
                    break;
                }
            }

            var readBack = step.Count > 0 && step[^1].ReadBack;
            var entries = readBack ? step.FindAll(w => w.Events.Length > 0) : step;
            if (entries.Count > 0 && !_abandon.IsCancellationRequested)
            {
                await ApplyStepAsync(entries, count);
            }

            if (readBack)
            {
                await ApplyAgainAsync("after a commit whose outcome was unknown");
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

    /// <summary>
    /// The entries after the applied position (the one the writer before recorded, or this writer's own) read from the
    /// log and applied in steps, in log order; what a later commit brings again, grains skip.
    /// </summary>
    private async Task ApplyAgainAsync(string when)
    {
        var total = 0;
        while (!_abandon.IsCancellationRequested)
        {
            var after = _appliedSeq;
            IReadOnlyList<ProductEventRecord> entries;
            try
            {
                entries = await UntilDoneAsync(() => log.ReadAfterAsync(after, options.MaxApplyEvents, _abandon.Token), "read the entries to apply again");
                if (entries.Count == 0)
                {
                    break;
                }

                await ApplyToGrainsAsync([.. entries], NewKeys.None);
            }
            catch (OperationCanceledException) when (_abandon.IsCancellationRequested)
            {
                break;
            }

            _appliedSeq = Math.Max(_appliedSeq, entries[^1].Seq);
            total += entries.Count;
            if (entries.Count < options.MaxApplyEvents)
            {
                break;
            }
        }

        if (total > 0)
        {
            logger.LogInformation("Applied {Count} committed entries again {When} (grains skip those they hold)", total, when);
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
            .Select(g => (Func<Task>)(() => grains.GetKeyedGrain<IProductProjectionGrain>(g.Key).ApplyAsync(g.Entries, fresh.Products.Contains(g.Key))))
            .ToList());

        var owners = await UntilDoneAsync(() => ContactRouting.OwnersAsync(log, committed), "look up merged visitors");
        var contacts = Array.ConvertAll(committed, e => ContactRouting.ContactOf(e, owners));
        await UntilAppliedAsync(Enumerable.Range(0, committed.Length)
            .GroupBy(i => GrainKeys.Contact(committed[i].AppId, contacts[i]), i => committed[i])
            .Select(group => (Key: group.Key, Entries: group.ToArray()))
            .Select(g => (Func<Task>)(() => grains.GetKeyedGrain<IContactProjectionGrain>(g.Key).ApplyAsync(g.Entries, fresh.Contacts.Contains(g.Key))))
            .ToList());
        if (options.Analytics)
        {
            _analytics.Push(committed, contacts);
        }
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
}
