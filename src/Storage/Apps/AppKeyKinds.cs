namespace ProductEvents.Storage.Apps;

/// <summary>The kinds as written in requests, responses and <c>app_keys.kind</c>.</summary>
public static class AppKeyKinds
{
    public const string Secret = "secret";
    public const string Public = "public";

    public static string Name(AppKeyKind kind) => kind == AppKeyKind.Secret ? Secret : Public;

    public static bool TryParse(string? text, out AppKeyKind kind)
    {
        kind = text == Public ? AppKeyKind.Public : AppKeyKind.Secret;
        return text is Secret or Public;
    }
}
