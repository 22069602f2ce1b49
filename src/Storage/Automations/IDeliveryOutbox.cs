using ProductEvents.Abstractions.Automations;

namespace ProductEvents.Storage.Automations;

/// <summary>
/// The durable outbox of webhooks: a table in durable mode, a dictionary in the embedded default. Enqueueing is
/// idempotent by delivery id, which is how a run that fires again after a crash still sends once.
/// </summary>
public interface IDeliveryOutbox
{
    /// <summary>Adds each delivery unless one with its id exists, in one write; answers how many were added.</summary>
    Task<int> EnqueueAsync(IReadOnlyList<Delivery> deliveries, CancellationToken cancellationToken = default);

    /// <summary>
    /// Pending or failed deliveries due at <paramref name="now"/>, leased until <paramref name="leaseUntil"/> so no other
    /// worker takes them: at most <paramref name="perApp"/> of each app (its oldest), none of <paramref name="busyApps"/>,
    /// the oldest first up to <paramref name="limit"/>.
    /// </summary>
    Task<IReadOnlyList<Delivery>> ClaimDueAsync(
        DateTimeOffset now, DateTimeOffset leaseUntil, int limit, int perApp = int.MaxValue, IReadOnlyCollection<string>? busyApps = null,
        CancellationToken cancellationToken = default);

    /// <summary>Records attempts' outcomes (delivered, failed with the next attempt time, or dead) in one write.</summary>
    Task RecordAttemptsAsync(IReadOnlyList<DeliveryAttempt> attempts, CancellationToken cancellationToken = default);

    Task<Delivery?> GetAsync(string appId, string id, CancellationToken cancellationToken = default);

    /// <summary>The app's deliveries, newest first, optionally of one status or one campaign, created before the cursor.</summary>
    Task<IReadOnlyList<Delivery>> ListAsync(string appId, DeliveryStatus? status, string? campaignId, string? beforeId, int limit, CancellationToken cancellationToken = default);

    /// <summary>Counts of a campaign's deliveries by status.</summary>
    Task<IReadOnlyDictionary<DeliveryStatus, long>> CountCampaignAsync(string appId, string campaignId, CancellationToken cancellationToken = default);

    /// <summary>A dead delivery goes back to pending with its attempts reset; false when it is not dead.</summary>
    Task<bool> RetryAsync(string appId, string id, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>The webhooks naming the contact (their body's <c>user_id</c> or <c>user_key</c>), newest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<Delivery>> ListOfContactAsync(string appId, ContactRef contact, int limit, CancellationToken cancellationToken = default);

    /// <summary>Deletes every webhook naming the contacts, sent or not (an erasure); answers how many were still to be sent and how many in all.</summary>
    Task<(int Pending, int All)> EraseContactsAsync(string appId, IReadOnlyList<ContactRef> contacts, CancellationToken cancellationToken = default);
}
