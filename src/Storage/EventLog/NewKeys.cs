namespace ProductEvents.Storage.EventLog;

/// <summary>Grain keys (see GrainKeys) of products and contacts whose first log entries are being applied.</summary>
public sealed record NewKeys(IReadOnlySet<string> Products, IReadOnlySet<string> Contacts)
{
    public static NewKeys None { get; } = new(new HashSet<string>(), new HashSet<string>());
}
