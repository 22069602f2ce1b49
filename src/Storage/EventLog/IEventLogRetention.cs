namespace ProductEvents.Storage.EventLog;

/// <summary>
/// What retention asks of the log: its months (whole partitions to drop), the oldest entries of an app (to delete in
/// batches), and the durable queue of contacts whose entries left and whose grains must rebuild from what remains.
/// </summary>
public interface IEventLogRetention
{
    /// <summary>The log's months, oldest first, with the apps holding entries in each; none for a log without monthly partitions.</summary>
    Task<IReadOnlyList<LogMonth>> ListMonthsAsync(CancellationToken cancellationToken = default);

    /// <summary>The products with entries in the month, in (app, product) order after <paramref name="after"/>, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<(string AppId, string ProductId)>> ListProductsOfMonthAsync(
        LogMonth month, (string AppId, string ProductId)? after, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes the whole month, with the idempotency claims of its entries, and queues its contacts (and the contacts
    /// its visitors were merged into) for a rebuild, in one transaction.
    /// </summary>
    Task DropMonthAsync(LogMonth month, CancellationToken cancellationToken = default);

    /// <summary>
    /// The app's entries received before <paramref name="before"/> with a position after <paramref name="afterSeq"/>, in
    /// log order, at most <paramref name="limit"/>, and the products they touch. Nothing is removed yet.
    /// </summary>
    Task<RetentionBatch> NextBatchAsync(string appId, DateTimeOffset before, long afterSeq, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes the batch's entries with their idempotency claims and queues their contacts (and the contacts their
    /// visitors were merged into) for a rebuild, in one transaction; answers how many entries left.
    /// </summary>
    Task<int> RemoveAsync(RetentionBatch batch, CancellationToken cancellationToken = default);

    /// <summary>Removes the app's idempotency claims received before <paramref name="before"/>, at most <paramref name="limit"/>; answers how many.</summary>
    Task<int> RemoveClaimsAsync(string appId, DateTimeOffset before, int limit, CancellationToken cancellationToken = default);

    /// <summary>Contacts queued for a rebuild, oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<ContactReload>> PendingReloadsAsync(int limit, CancellationToken cancellationToken = default);

    /// <summary>Takes rebuilt contacts off the queue; one queued again since it was read stays.</summary>
    Task CompleteReloadsAsync(IReadOnlyList<ContactReload> reloaded, CancellationToken cancellationToken = default);
}
