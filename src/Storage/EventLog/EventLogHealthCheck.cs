using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ProductEvents.Storage.EventLog;

/// <summary>Ready only while the event log can take appends.</summary>
public sealed class EventLogHealthCheck(IEventLog log) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await log.IsReadyAsync(cancellationToken)
            ? HealthCheckResult.Healthy(log.Describe())
            : HealthCheckResult.Unhealthy("The event log's storage cannot be reached; ingest answers 503 until it is back.");
}
