using Orleans.Concurrency;
using Orleans.Placement;
using ProductEvents.Storage.EventLog;

namespace ProductEvents.Grains.Ingest;

/// <summary>
/// The event log's one writer in the cluster (<see cref="ILogWriterGrain"/>). On activation it takes the writing over
/// in the log's storage (fencing any writer before it), then runs <see cref="LogWriter"/>. Reentrant: the requests of
/// every front door interleave, and the writer groups them into commits. Kept active while idle; when its silo stops
/// or dies, the next request activates it on another silo.
/// </summary>
[Reentrant, KeepAlive, PreferLocalPlacement]
public sealed class LogWriterGrain(
    IEventLog log, IOptions<IngestOptions> options, IOptions<QuotaOptions> quotas, ILocalSiloDetails silo, ILogger<LogWriterGrain> logger)
    : Grain, ILogWriterGrain
{
    private LogWriter? _writer;

    private LogWriter Writer => _writer ?? throw new InvalidOperationException("The log writer is not activated.");

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var takeover = await log.TakeOverAsync(silo.SiloAddress.ToString(), cancellationToken);
        _writer = new LogWriter(log, GrainFactory, options.Value, quotas.Value, logger);
        _writer.Start(takeover);
        logger.LogInformation(
            "This silo ({Silo}) writes the event log now (epoch {Epoch}); entries after position {Seq} are applied again",
            silo.SiloAddress, takeover.Epoch, takeover.AppliedThrough);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_writer is not null)
        {
            await _writer.StopAsync(cancellationToken);
        }
    }

    public async Task<CommitAnswer[]> CommitAsync(LogWriteRequest[] requests)
    {
        var answers = await Writer.CommitAsync(requests);
        if (Writer.Fenced)
        {
            // Another activation (the cluster's membership was changing) holds the writing: this one goes.
            DeactivateOnIdle();
        }

        return answers;
    }

    public Task WhenAppliedAsync() => Writer.WhenAppliedAsync();

    public Task<int> UnappliedAsync() => Task.FromResult(Writer.UnappliedEvents);
}
