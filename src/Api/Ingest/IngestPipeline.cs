using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ProductEvents.Api.Telemetry;

namespace ProductEvents.Api.Ingest;

/// <summary>
/// The front door of ingest in each process: concurrent requests queue their events, and one loop sends whatever has
/// gathered to the log's writer (<see cref="ILogWriterGrain"/>, one in the cluster) in one call, with up to
/// <see cref="IngestOptions.SendsInFlight"/> calls out at once, while the next requests gather. The queue is shared fairly: one app may fill at most <see cref="IngestOptions.AppQueueShare"/> of
/// it, and each call takes a request of each waiting app in turn. The writer commits the requests of every front door together and answers each once it is durable.
/// Reads of grains wait for the writer to have applied everything committed (<see cref="WhenAppliedAsync"/>), so a
/// client reads its own writes through any process.
/// </summary>
public sealed class IngestPipeline(IGrainFactory grains, IOptions<IngestOptions> options, ILogger<IngestPipeline> logger) : BackgroundService
{
    private readonly Channel<IngestWork> _queue = Channel.CreateUnbounded<IngestWork>(new UnboundedChannelOptions { SingleReader = true });

    private readonly ConcurrentDictionary<string, int> _queuedByApp = new(StringComparer.Ordinal);

    /// <summary>Requests taken from the channel and not sent yet, per app; read and written by the send loop only.</summary>
    private readonly Dictionary<string, Queue<IngestWork>> _waiting = new(StringComparer.Ordinal);

    /// <summary>The apps with waiting requests, in the order of their next turn.</summary>
    private readonly Queue<string> _turns = new();

    private int _queued;

    /// <summary>
    /// Apps the writer refused for their quota, until the Retry-After it gave (<see cref="Environment.TickCount64"/>):
    /// their requests are refused here until then, so a flooding app's events take neither queue room nor the writer's
    /// time from other apps.
    /// </summary>
    private readonly ConcurrentDictionary<string, (long Until, QuotaExceeded Quota)> _limited = new(StringComparer.Ordinal);

    /// <summary>Resolved once: <c>GetGrain</c> finds the interface's grain type through reflection on every call.</summary>
    private ILogWriterGrain? _writer;

    private ILogWriterGrain Writer => _writer ??= grains.GetGrain<ILogWriterGrain>(ILogWriterGrain.Key);

    /// <summary>
    /// The quota an app was refused for, with the Retry-After left, while that Retry-After runs; otherwise null. The
    /// endpoints ask before they read a request's body, so a refused app's flood costs no parsing.
    /// </summary>
    public QuotaExceeded? RefusedForQuota(string appId)
    {
        if (!_limited.TryGetValue(appId, out var limited))
        {
            return null;
        }

        var left = limited.Until - Environment.TickCount64;
        if (left > 0)
        {
            return limited.Quota with { RetryAfter = TimeSpan.FromMilliseconds(left) };
        }

        _limited.TryRemove(KeyValuePair.Create(appId, limited));
        return null;
    }

    /// <summary>
    /// Resolves, in order, to what the log did with each event, once they are committed. Throws
    /// <see cref="IngestOverloadedException"/> when the queue (or the app's share of it) is full,
    /// <see cref="IngestQuotaExceededException"/> when the app is over its quota (or was refused for it less than its Retry-After ago) and
    /// <see cref="EventLogUnavailableException"/> when the log cannot commit; in each case nothing of the request was stored.
    /// </summary>
    /// <param name="events">Events of one app (a request is always of one app).</param>
    public Task<AppendOutcome[]> SubmitAsync(ProductEventRecord[] events)
    {
        var appId = AppOf(events);
        if (RefusedForQuota(appId) is { } refused)
        {
            throw new IngestQuotaExceededException(refused);
        }

        var appQueued = _queuedByApp.AddOrUpdate(appId, events.Length, (_, queued) => queued + events.Length);
        var queued = Interlocked.Add(ref _queued, events.Length);
        if (queued > options.Value.QueueCapacity || appQueued > options.Value.QueueCapacity * options.Value.AppQueueShare)
        {
            Release(appId, events.Length);
            throw new IngestOverloadedException();
        }

        var work = new IngestWork(events);
        if (!_queue.Writer.TryWrite(work))
        {
            Release(appId, events.Length);
            throw new EventLogUnavailableException("The service is shutting down.");
        }

        return work.Completion.Task;
    }

    /// <summary>
    /// Completes once every entry committed so far, through any process, has reached its grains: a read of a product or
    /// a contact awaits it first, so a client reads its own acknowledged writes (an answer waits only for the commit).
    /// Throws <see cref="EventLogUnavailableException"/> (503) when that takes longer than
    /// <see cref="IngestOptions.MaxReadWait"/> or the writer cannot be reached.
    /// </summary>
    public async Task WhenAppliedAsync()
    {
        try
        {
            await Writer.WhenAppliedAsync().WaitAsync(options.Value.MaxReadWait);
        }
        catch (Exception ex) when (ex is not EventLogUnavailableException)
        {
            throw new EventLogUnavailableException("The grains have not caught up with the event log yet.", ex);
        }
    }

    internal int QueuedEvents => Volatile.Read(ref _queued);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Stop taking new events, then let the loop send what is already queued.
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);

        // Then wait until the writer has applied it: in a process that is also a silo, its grains are about to
        // deactivate, and an apply still calling them would meet them leaving. A wait that fails changes nothing: the
        // entries are committed, and the writer (here or on another silo) applies them.
        try
        {
            await WhenAppliedAsync().WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is EventLogUnavailableException or OperationCanceledException)
        {
            logger.LogDebug(ex, "Stopping before the log's writer applied everything sent from here");
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var observed = IngestMetrics.Observe(this);
        var slots = options.Value.SendsInFlight;
        using var sends = new SemaphoreSlim(slots, slots);
        var reader = _queue.Reader;
        while (_turns.Count > 0 || await reader.WaitToReadAsync(CancellationToken.None))
        {
            // A free call first: the requests that arrive while every call is out gather into the next one.
            await sends.WaitAsync(CancellationToken.None);
            while (reader.TryRead(out var work))
            {
                Wait(work);
            }

            _ = SendAsync(TakeInTurn()).ContinueWith(
                sent =>
                {
                    if (sent.Exception is { } failure)
                    {
                        logger.LogError(failure, "Answering a call to the event log's writer failed");
                    }

                    sends.Release();
                },
                TaskScheduler.Default);
        }

        // The queue is closed: wait for the calls still out before the stop goes on.
        for (var i = 0; i < slots; i++)
        {
            await sends.WaitAsync(CancellationToken.None);
        }
    }

    private void Wait(IngestWork work)
    {
        var appId = AppOf(work.Events);
        if (!_waiting.TryGetValue(appId, out var requests))
        {
            requests = new Queue<IngestWork>();
            _waiting[appId] = requests;
        }

        if (requests.Count == 0)
        {
            _turns.Enqueue(appId);
        }

        requests.Enqueue(work);
    }

    /// <summary>Up to <see cref="IngestOptions.MaxBatchEvents"/> events: a request of each waiting app in turn.</summary>
    private List<IngestWork> TakeInTurn()
    {
        var batch = new List<IngestWork>();
        var count = 0;
        while (count < options.Value.MaxBatchEvents && _turns.TryDequeue(out var appId))
        {
            var requests = _waiting[appId];
            var work = requests.Dequeue();
            batch.Add(work);
            count += work.Events.Length;
            if (requests.Count > 0)
            {
                _turns.Enqueue(appId);
            }
        }

        return batch;
    }

    private void Release(string appId, int events)
    {
        Interlocked.Add(ref _queued, -events);
        _queuedByApp.AddOrUpdate(appId, 0, (_, queued) => queued - events);
    }

    private static string AppOf(ProductEventRecord[] events) => events.Length > 0 ? events[0].AppId : "";

    private async Task SendAsync(List<IngestWork> batch)
    {
        var requests = new LogWriteRequest[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            requests[i] = new LogWriteRequest(batch[i].Events, batch[i].TraceParent);
        }

        CommitAnswer[]? answers = null;
        Exception? failure = null;
        try
        {
            answers = await Writer.CommitAsync(requests);
        }
        catch (Exception ex)
        {
            // The writer's silo is gone or stopping (another one takes over on the next call), or the call timed out:
            // what was sent may or may not be committed; event_ids make sending it again safe.
            logger.LogWarning(ex, "The event log's writer could not be reached for {Count} requests", batch.Count);
            failure = new EventLogUnavailableException("The event log's writer could not be reached.", ex);
        }

        for (var i = 0; i < batch.Count; i++)
        {
            var work = batch[i];
            Release(AppOf(work.Events), work.Events.Length);
            if (answers?[i] is { Outcomes: { } outcomes })
            {
                work.Completion.TrySetResult(outcomes);
            }
            else if (answers?[i] is { Limited: { } exceeded })
            {
                _limited[AppOf(work.Events)] = (Environment.TickCount64 + (long)Math.Ceiling(exceeded.RetryAfter.TotalMilliseconds), exceeded);
                work.Completion.TrySetException(new IngestQuotaExceededException(exceeded));
            }
            else
            {
                work.Completion.TrySetException(failure ?? new EventLogUnavailableException(answers![i].Unavailable ?? "The event log could not commit."));
            }
        }
    }
}
