namespace ProductEvents.Abstractions;

/// <summary>Names of the Orleans providers, in one place.</summary>
public static class StorageNames
{
    /// <summary>Grain storage for product and contact snapshots.</summary>
    public const string Snapshots = "snapshots";
}
