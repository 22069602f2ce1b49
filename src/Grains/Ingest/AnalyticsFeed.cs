using System.Threading.Channels;
using ProductEvents.Grains.Analytics;

namespace ProductEvents.Grains.Ingest;

/// <summary>
/// Hands each applied step's entries to their apps' analytics indexes without holding up the apply loop: one queue
/// and one sender per app, so a slow index (one loading after an activation) delays only its own app's analytics.
/// Each push says which range of positions it covers completely, and the next push of an app starts where the last
/// one ended; so a push that was dropped (its queue full, its calls failing, its writer gone) shows at the index as a
/// gap, which the index reads from the log. Used by the apply loop only, one step at a time.
/// </summary>
internal sealed class AnalyticsFeed(IGrainFactory grains, ILogger logger)
{
    /// <summary>Pushes waiting per app; past it a push is dropped and the index reads its entries from the log.</summary>
    public const int MaxQueuedPushes = 64;

    /// <summary>Calls made for one push before it is dropped.</summary>
    public const int MaxAttempts = 5;

    private readonly Dictionary<string, AppQueue> _apps = new(StringComparer.Ordinal);
    private long _stepFrom;
    private CancellationToken _stopping;

    /// <summary>
    /// Every entry at or before <paramref name="appliedThrough"/> was handed on by a writer before this one (or is in
    /// the log for the index to read); the senders stop with <paramref name="stopping"/>.
    /// </summary>
    public void Start(long appliedThrough, CancellationToken stopping)
    {
        _stepFrom = appliedThrough;
        _stopping = stopping;
    }

    /// <summary>Queues the step's entries (in log order) for their apps' indexes.</summary>
    public void Push(ProductEventRecord[] step, IReadOnlyList<ContactRef> contacts)
    {
        // A step the log was read back for before it (a commit's outcome unknown) may hold nothing not pushed yet.
        var through = step[^1].Seq;
        if (through <= _stepFrom)
        {
            return;
        }

        foreach (var app in Enumerable.Range(0, step.Length).GroupBy(i => step[i].AppId, StringComparer.Ordinal))
        {
            if (!_apps.TryGetValue(app.Key, out var queue))
            {
                queue = new AppQueue(_stepFrom, Channel.CreateBounded<AnalyticsPush>(new BoundedChannelOptions(MaxQueuedPushes) { SingleReader = true, SingleWriter = true }));
                _apps.Add(app.Key, queue);
                var grain = grains.GetGrain<IAnalyticsProjectionGrain>(app.Key);
                _ = Task.Run(() => SendAsync(app.Key, grain, queue.Pushes.Reader));
            }

            var push = new AnalyticsPush(queue.Through, through, [.. app.Select(i => step[i])], [.. app.Select(i => contacts[i])]);
            queue.Through = through;
            if (!queue.Pushes.Writer.TryWrite(push))
            {
                logger.LogDebug("Analytics of app {App} is behind: a push of {Count} entries is left for it to read from the log", app.Key, push.Entries.Length);
            }
        }

        _stepFrom = through;
    }

    private async Task SendAsync(string appId, IAnalyticsProjectionGrain grain, ChannelReader<AnalyticsPush> pushes)
    {
        try
        {
            await foreach (var push in pushes.ReadAllAsync(_stopping))
            {
                for (var attempt = 1; attempt <= MaxAttempts; attempt++)
                {
                    try
                    {
                        await grain.ApplyAsync(push);
                        break;
                    }
                    catch (Exception ex) when (!_stopping.IsCancellationRequested)
                    {
                        logger.LogWarning(ex, "Analytics of app {App}: a push failed (attempt {Attempt} of {Max}); after the last the index reads it from the log", appId, attempt, MaxAttempts);
                        await Task.Delay(TimeSpan.FromMilliseconds(100 << attempt), _stopping);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // The writer stops; the next one's pushes show the gap.
        }
    }

    private sealed class AppQueue(long through, Channel<AnalyticsPush> pushes)
    {
        /// <summary>The end of the last range pushed: the next push covers from here.</summary>
        public long Through { get; set; } = through;

        public Channel<AnalyticsPush> Pushes { get; } = pushes;
    }
}
