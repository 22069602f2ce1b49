using System.Diagnostics.Metrics;
using ProductEvents.Abstractions.Automations;
using ProductEvents.Abstractions.Telemetry;
using ProductEvents.Storage.Automations;

namespace ProductEvents.Silo.Telemetry;

/// <summary>Webhook delivery attempts by how they ended.</summary>
public static class DeliveryMetrics
{
    private static readonly Counter<long> Attempts = ProductEventsTelemetry.Meter.CreateCounter<long>(
        "productevents.automation.deliveries", "{attempt}",
        "Webhook delivery attempts by status: delivered, failed (retried later) or dead (no attempt left).");

    private static readonly AppTags<DeliveryStatus> Tags = new("status", StatusNames.Of);

    public static void Attempted(string appId, DeliveryStatus status) => Attempts.Add(1, in Tags.Of(appId, status));
}
