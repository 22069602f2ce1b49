using ProductEvents.Api.Apps;
using ProductEvents.Grains;
using ProductEvents.Grains.Analytics;
using ProductEvents.Grains.Contacts;
using ProductEvents.Grains.Products;
using ProductEvents.Storage.EventLog;

namespace ProductEvents.Silo.Maintenance;

/// <summary>
/// Removes what the apps' retention periods (<see cref="AppRetention"/>) let go, one round every
/// <see cref="RetentionOptions.Interval"/> on one silo of the cluster (<see cref="RetentionLeader"/>):
/// <list type="number">
/// <item>a month of the log whose apps all have a retention it is past, as a whole (a partition dropped);</item>
/// <item>otherwise each such app's entries received before its cutoff, <see cref="RetentionOptions.BatchSize"/> at a
/// time, and its idempotency claims;</item>
/// <item>then the contacts whose entries left rebuild from what the log still holds, and re-evaluate their segments.</item>
/// </list>
/// Before entries leave, their products store a snapshot that includes them: a product keeps its attributes and counts.
/// </summary>
public sealed class RetentionWorker(
    IEventLogRetention log,
    RetentionLeader leader,
    IGrainFactory grains,
    IOptionsMonitor<AppsOptions> apps,
    IOptions<RetentionOptions> options,
    TimeProvider clock,
    IHostApplicationLifetime lifetime,
    ILogger<RetentionWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await lifetime.WhenStartedAsync(stoppingToken);
            using var timer = new PeriodicTimer(options.Value.Interval, clock);
            do
            {
                try
                {
                    await RunOnceAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Retention round failed; the next one, in {Interval}, goes on from where it stopped", options.Value.Interval);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One round; answers how many entries left the log by deletion (dropped months are not counted).</summary>
    public async Task<long> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var lead = await leader.TryLeadAsync(cancellationToken);
        if (lead is null)
        {
            return 0;
        }

        var retention = AppRetention.Of(apps.CurrentValue);
        var now = clock.GetUtcNow();
        var dropped = retention.Count == 0 ? 0 : await DropMonthsAsync(retention, now, cancellationToken);
        long deleted = 0;
        foreach (var (appId, period) in retention)
        {
            deleted += await DeleteAsync(appId, now - period, cancellationToken);
        }

        var reloaded = await ReloadContactsAsync(cancellationToken);
        if (dropped > 0 || deleted > 0 || reloaded > 0)
        {
            logger.LogInformation("Retention: {Months} months dropped, {Entries} entries deleted, {Contacts} contacts rebuilt", dropped, deleted, reloaded);
        }

        return deleted;
    }

    private async Task<int> DropMonthsAsync(IReadOnlyDictionary<string, TimeSpan> retention, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var dropped = 0;
        foreach (var month in await log.ListMonthsAsync(cancellationToken))
        {
            // Every app in the month must let the whole month go; an app without retention keeps it.
            var past = month.AppIds.Count > 0
                && month.AppIds.All(app => retention.TryGetValue(app, out var period) && month.End <= now - period);
            if (!past)
            {
                continue;
            }

            (string AppId, string ProductId)? after = null;
            while (true)
            {
                var products = await log.ListProductsOfMonthAsync(month, after, options.Value.BatchSize, cancellationToken);
                await SealAsync(products, cancellationToken);
                if (products.Count < options.Value.BatchSize)
                {
                    break;
                }

                after = products[^1];
            }

            await log.DropMonthAsync(month, cancellationToken);
            await Task.WhenAll(month.AppIds.Select(app => grains.GetGrain<IAnalyticsProjectionGrain>(app).ForgetReceivedBeforeAsync(month.End)));
            dropped++;
            logger.LogInformation("Retention: month {Month:yyyy-MM} of the log dropped (apps {Apps})", month.Start, string.Join(", ", month.AppIds));
        }

        return dropped;
    }

    private async Task<long> DeleteAsync(string appId, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        long deleted = 0;
        long after = 0;
        var size = options.Value.BatchSize;
        while (true)
        {
            var batch = await log.NextBatchAsync(appId, cutoff, after, size, cancellationToken);
            if (batch.Entries.Count == 0)
            {
                break;
            }

            await SealAsync([.. batch.ProductIds.Select(p => (appId, p))], cancellationToken);
            deleted += await log.RemoveAsync(batch, cancellationToken);
            await grains.GetGrain<IAnalyticsProjectionGrain>(appId).ForgetEntriesAsync([.. batch.Entries.Select(e => e.Seq)]);
            after = batch.LastSeq;
        }

        while (await log.RemoveClaimsAsync(appId, cutoff, size, cancellationToken) == size)
        {
        }

        return deleted;
    }

    private async Task<long> ReloadContactsAsync(CancellationToken cancellationToken)
    {
        long reloaded = 0;
        while (true)
        {
            var pending = await log.PendingReloadsAsync(options.Value.BatchSize, cancellationToken);
            if (pending.Count == 0)
            {
                return reloaded;
            }

            var done = new List<ContactReload>(pending.Count);
            await Parallel.ForEachAsync(pending, Concurrently(cancellationToken), async (reload, _) =>
            {
                try
                {
                    await grains.GetGrain<IContactReload>(GrainKeys.Contact(reload.AppId, reload.Contact)).ReloadAsync();
                    lock (done)
                    {
                        done.Add(reload);
                    }
                }
                catch (Exception ex)
                {
                    logger.LogWarning(ex, "Contact {Contact} of app {App} not rebuilt after retention; trying again next round", reload.Contact.Value, reload.AppId);
                }
            });

            await log.CompleteReloadsAsync(done, cancellationToken);
            reloaded += done.Count;
            if (done.Count < pending.Count)
            {
                // What failed stays queued for the next round rather than being retried in a loop now.
                return reloaded;
            }
        }
    }

    /// <summary>Products store what they hold before entries of theirs leave; one that cannot stops the round (and the removal).</summary>
    private Task SealAsync(IReadOnlyList<(string AppId, string ProductId)> products, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(products, Concurrently(cancellationToken), async (p, _) =>
            await grains.GetGrain<IProductRetention>(GrainKeys.Product(p.AppId, p.ProductId)).SealAsync());

    private ParallelOptions Concurrently(CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = options.Value.Concurrency, CancellationToken = cancellationToken };
}
