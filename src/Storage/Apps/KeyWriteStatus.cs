namespace ProductEvents.Storage.Apps;

public enum KeyWriteStatus
{
    Done,
    AppNotFound,

    /// <summary>No key of that name works in the app (none, or all revoked).</summary>
    KeyNotFound,

    /// <summary>A key of that name is not revoked yet.</summary>
    NameTaken,

    /// <summary>The app already has <see cref="AppLimits.MaxLiveKeysPerApp"/> keys that are not revoked.</summary>
    TooManyKeys,
}
