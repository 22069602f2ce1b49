namespace ProductEvents.Storage.Numbers;

/// <summary>
/// The integer ids of products and contacts (User.com's <c>id</c>): one per key and app, given the first time it is
/// asked for, never reused or changed. A number names one entity of one app.
/// </summary>
public interface IEntityNumbers
{
    /// <summary>The keys' numbers, in order; a key without one gets the next.</summary>
    Task<long[]> GetOrAssignAsync(string appId, IReadOnlyList<NumberedKey> keys, CancellationToken cancellationToken = default);

    /// <summary>What the number names in the app; null when it names nothing there.</summary>
    Task<NumberedKey?> FindAsync(string appId, long number, CancellationToken cancellationToken = default);
}
