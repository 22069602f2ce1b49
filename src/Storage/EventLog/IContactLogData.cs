namespace ProductEvents.Storage.EventLog;

/// <summary>What the log holds of one contact, read for its export and removed for its erasure.</summary>
public interface IContactLogData
{
    /// <summary>
    /// The contact's own entries (a user's: <c>user_id</c>; a visitor's: <c>user_key</c> without <c>user_id</c>) after
    /// <paramref name="afterSeq"/>, in log order, at most <paramref name="limit"/>.
    /// </summary>
    Task<IReadOnlyList<ProductEventRecord>> ReadContactPageAsync(string appId, ContactRef contact, long afterSeq, int limit, CancellationToken cancellationToken = default);

    /// <summary>The products that the entries of the user and of the visitors have touched.</summary>
    Task<IReadOnlyList<string>> ListProductsOfAsync(string appId, string userId, IReadOnlyList<string> visitorKeys, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes the entries of the user (whatever their <c>user_key</c>) and the visitor-only entries of the visitors, with
    /// their idempotency claims, and the record that those visitors were merged into the user; answers how many entries
    /// left. Entries committed while it runs may stay. Running it again removes what is left.
    /// </summary>
    Task<long> EraseContactAsync(string appId, string userId, IReadOnlyList<string> visitorKeys, CancellationToken cancellationToken = default);
}
