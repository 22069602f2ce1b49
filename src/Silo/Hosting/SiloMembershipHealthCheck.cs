using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ProductEvents.Silo.Hosting;

/// <summary>Ready only while this silo is an active member of the cluster (not joining, shutting down or declared dead).</summary>
public sealed class SiloMembershipHealthCheck(IClusterMembershipService membership, ILocalSiloDetails silo) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy($"Silo {silo.SiloAddress} is an active member of cluster '{silo.ClusterId}'.")
            : HealthCheckResult.Unhealthy($"Silo {silo.SiloAddress} is {status} in the cluster's membership."));
    }
}
