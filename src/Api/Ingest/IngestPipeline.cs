using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ProductEvents.Api.Telemetry;

namespace ProductEvents.Api.Ingest;

/// <summary>
/// The front door of ingest in each process: concurrent requests queue their events, and one loop sends whatever has
/// gathered to the log's writer (<see cref="ILogWriterGrain"/>, one in the cluster) in one call, while the next
/// requests gather. The writer commits the requests of every front door together and answers each once it is durable.
/// Reads of grains wait for the writer to have applied everything committed (<see cref="WhenAppliedAsync"/>), so a
/// client reads its own writes through any process.
/// </summary>
public sealed class IngestPipeline(IGrainFactory grains, IOptions<IngestOptions> options, ILogger<IngestPipeline> logger) : BackgroundService
{
    private readonly Channel<IngestWork> _queue = Channel.CreateUnbounded<IngestWork>(new UnboundedChannelOptions { SingleReader = true });

    private int _queued;

    private ILogWriterGrain Writer => grains.GetGrain<ILogWriterGrain>(ILogWriterGrain.Key);

    /// <summary>
    /// Resolves, in order, to what the log did with each event, once they are committed. Throws
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
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var observed = IngestMetrics.Observe(this);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            var batch = new List<IngestWork>();
            var count = 0;
            while (count < options.Value.MaxBatchEvents && reader.TryRead(out var work))
            {
                batch.Add(work);
                count += work.Events.Length;
            }

            await SendAsync(batch);
        }
    }

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
            Interlocked.Add(ref _queued, -work.Events.Length);
            if (answers?[i] is { Outcomes: { } outcomes })
            {
                work.Completion.TrySetResult(outcomes);
            }
            else
            {
                work.Completion.TrySetException(failure ?? new EventLogUnavailableException(answers![i].Unavailable ?? "The event log could not commit."));
            }
        }
    }
}
