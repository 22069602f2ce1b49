namespace ProductEvents.Api;

/// <summary>How the API presents itself to clients. Bound from <c>Api</c>.</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    public const string InvalidPublicBaseUrl =
        "Api:PublicBaseUrl must be an absolute http or https URL without query, fragment or user info (the URL of the API's root as clients reach it).";

    /// <summary>
    /// The URL of the API's root as clients reach it (path prefix included), e.g. <c>https://events.shop.example/</c>.
    /// Paged listings build their <c>next</c> links on it; unset, the links are relative (path and query). Never taken
    /// from the request's Host header, which any client can set.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    public static bool IsValidPublicBaseUrl(string? value) =>
        string.IsNullOrEmpty(value)
        || (Uri.TryCreate(value, UriKind.Absolute, out var uri)
            && uri.Scheme is "http" or "https"
            && uri.Query.Length == 0 && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0);
}
