using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ProductEvents.Api.Ingest;

/// <summary>
/// Ready only while the log's writer answers this process within <see cref="Timeout"/> (activating it if no silo runs
/// it, as after a silo died) and its grains are not so far behind that commits wait (<see cref="IngestOptions.MaxUnappliedEvents"/>).
/// </summary>
public sealed class LogWriterHealthCheck(IGrainFactory grains, IOptions<IngestOptions> options) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        int unapplied;
        try
        {
            unapplied = await grains.GetGrain<ILogWriterGrain>(ILogWriterGrain.Key).UnappliedAsync().WaitAsync(Timeout, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The event log's writer cannot be reached (a silo stopped and another is taking over).", ex);
        }

        return unapplied > options.Value.MaxUnappliedEvents
            ? HealthCheckResult.Degraded($"The grains are {unapplied} committed events behind; commits wait for them.")
            : HealthCheckResult.Healthy($"{unapplied} committed events on their way to the grains.");
    }
}
