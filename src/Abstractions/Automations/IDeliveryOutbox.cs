namespace ProductEvents.Abstractions.Automations;

/// <summary>
/// The durable outbox of webhooks: a table in durable mode, a dictionary in the embedded default. Enqueueing is
/// idempotent by delivery id, which is how a run that fires again after a crash still sends once.
/// </summary>
public interface IDeliveryOutbox
{
    /// <summary>Adds the delivery unless one with its id exists; answers whether it was added.</summary>
    Task<bool> EnqueueAsync(Delivery delivery, CancellationToken cancellationToken = default);

    /// <summary>Pending or failed deliveries due at <paramref name="now"/>, leased until <paramref name="leaseUntil"/> so no other worker takes them.</summary>
    Task<IReadOnlyList<Delivery>> ClaimDueAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken = default);

    /// <summary>Records an attempt's outcome: delivered, failed (with the next attempt time) or dead.</summary>
    Task RecordAttemptAsync(string id, DeliveryStatus status, int attempts, DateTimeOffset nextAttemptAt, string? lastError, DateTimeOffset now, CancellationToken cancellationToken = default);

    Task<Delivery?> GetAsync(string appId, string id, CancellationToken cancellationToken = default);

    /// <summary>The app's deliveries, newest first, optionally of one status or one campaign, created before the cursor.</summary>
    Task<IReadOnlyList<Delivery>> ListAsync(string appId, DeliveryStatus? status, string? campaignId, string? beforeId, int limit, CancellationToken cancellationToken = default);

    /// <summary>Counts of a campaign's deliveries by status.</summary>
    Task<IReadOnlyDictionary<DeliveryStatus, long>> CountCampaignAsync(string appId, string campaignId, CancellationToken cancellationToken = default);

    /// <summary>A dead delivery goes back to pending with its attempts reset; false when it is not dead.</summary>
    Task<bool> RetryAsync(string appId, string id, DateTimeOffset now, CancellationToken cancellationToken = default);
}
