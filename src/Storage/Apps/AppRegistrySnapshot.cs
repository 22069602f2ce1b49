namespace ProductEvents.Storage.Apps;

/// <summary>The stored apps and the keys that work, as of <see cref="Version"/> (<see cref="IAppStore.ReadVersionAsync"/>).</summary>
public sealed record AppRegistrySnapshot(long Version, IReadOnlyList<LiveKey> Keys, IReadOnlyList<StoredApp> Apps);
