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

    /// <summary>The key's number if it has one; never assigns.</summary>
    Task<long?> FindNumberAsync(string appId, NumberedKey key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Forgets the keys' numbers (an erased contact): the numbers name nothing from then on and are never given again;
    /// the same key asked for later gets a new one. Another process may answer a forgotten number from its cache until
    /// it restarts, naming a key that holds nothing any more.
    /// </summary>
    Task ForgetAsync(string appId, IReadOnlyList<NumberedKey> keys, CancellationToken cancellationToken = default);
}
