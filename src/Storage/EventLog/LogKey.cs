namespace ProductEvents.Storage.EventLog;

/// <summary>
/// A key the log holds entries for, registered in <c>log_key_hashes</c> (deploy/sql/V024): <see cref="Kind"/> "p" (a
/// product), "u" (a user, by user_id) or "k" (a visitor, by the user_key of an entry without user_id).
/// </summary>
public readonly record struct LogKey(string Kind, string AppId, string Id)
{
    public static LogKey ProductOf(ProductEventRecord e) => new("p", e.AppId, e.ProductId);

    public static LogKey ContactOf(ProductEventRecord e) =>
        e.Contact.IsAnonymous ? new("k", e.AppId, e.Contact.Value) : new("u", e.AppId, e.Contact.Value);

    /// <summary>The key of the product or contact grain this log key feeds.</summary>
    public string GrainKey => Kind switch
    {
        "p" => GrainKeys.Product(AppId, Id),
        "u" => GrainKeys.Contact(AppId, ContactRef.User(Id)),
        _ => GrainKeys.Contact(AppId, ContactRef.Visitor(Id)),
    };
}
