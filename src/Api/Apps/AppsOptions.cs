namespace ProductEvents.Api.Apps;

/// <summary>The apps this deployment serves, by app id. Bound from <c>ProductEvents:Apps</c>.</summary>
public sealed class AppsOptions
{
    public const string Section = "ProductEvents";

    /// <summary>The keys the embedded default ships with; refused outside the Development environment.</summary>
    public static readonly IReadOnlySet<string> DevelopmentKeys = new HashSet<string>(StringComparer.Ordinal) { "dev-secret", "dev-public" };

    public Dictionary<string, AppOptions> Apps { get; set; } = new(StringComparer.Ordinal);
}
