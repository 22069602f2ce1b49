using System.Globalization;

namespace ProductEvents.Api.Endpoints;

/// <summary>The <c>limit</c> of every paged listing: 1 to 1,000, 100 when absent.</summary>
internal static class PageLimit
{
    public const int Default = 100;
    public const int Max = 1_000;
    public const string Reason = "must be a whole number from 1 to 1000";

    public static bool TryRead(IQueryCollection query, out int limit) =>
        TryRead(query.TryGetValue("limit", out var text) ? text.ToString() : null, out limit);

    /// <param name="text">The bound <c>limit</c>: null when absent (an empty one is refused).</param>
    public static bool TryRead(string? text, out int limit)
    {
        limit = Default;
        return text is null
            || (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit is >= 1 and <= Max);
    }

    public static ValidationProblem Invalid() => Problems.Invalid("limit", Reason);
}
