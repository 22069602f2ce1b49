namespace ProductEvents.Storage.Apps;

/// <summary>What an app id, a key name and an app's keys may be; the admin API and the apps command check the same.</summary>
public static class AppLimits
{
    public const int MaxAppIdLength = 64;
    public const int MaxKeyNameLength = 64;
    public const int MaxAppNameLength = 200;
    public const int MaxAllowedOrigins = 50;

    /// <summary>Keys of one app that are not revoked (a rotated key in its grace does not count).</summary>
    public const int MaxLiveKeysPerApp = 20;

    /// <summary>The newest keys a listing shows, revoked ones included.</summary>
    public const int MaxListedKeys = 1_000;

    /// <summary>The longest a rotated key keeps working next to its replacement.</summary>
    public static readonly TimeSpan MaxRotationGrace = TimeSpan.FromDays(7);

    public const string AppIdRule = "must be 1 to 64 characters: letters, digits, '.', '_' or '-', starting with a letter or digit";
    public const string KeyNameRule = "must be 1 to 64 characters: lower-case letters, digits, '.', '_' or '-', starting with a letter or digit";

    public static bool IsValidAppId(string? id) => IsValidName(id, MaxAppIdLength, allowUpper: true);

    public static bool IsValidKeyName(string? name) => IsValidName(name, MaxKeyNameLength, allowUpper: false);

    private static bool IsValidName(string? text, int maxLength, bool allowUpper)
    {
        if (string.IsNullOrEmpty(text) || text.Length > maxLength || !IsLetterOrDigit(text[0], allowUpper))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!IsLetterOrDigit(c, allowUpper) && c is not ('.' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsLetterOrDigit(char c, bool allowUpper) =>
        c is >= 'a' and <= 'z' or >= '0' and <= '9' || (allowUpper && c is >= 'A' and <= 'Z');
}
