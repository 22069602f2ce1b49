using System.Globalization;
using ProductEvents.Abstractions.Analytics;

namespace ProductEvents.Api.Contracts;

/// <summary>
/// A page of contacts matching a condition now, <c>next</c> the cursor of the next page (null at the end), and the
/// total: exact (<c>total_exact: true</c>) or estimated from a sample, give or take <c>total_error</c> (95%).
/// </summary>
public sealed record ContactSearchResponse(
    long Total,
    bool TotalExact,
    long TotalError,
    IReadOnlyList<FoundContactResponse> Results,
    string? Next,
    long IndexThrough)
{
    public static ContactSearchResponse From(ContactSearchAnswer answer) => new(
        answer.Total,
        answer.TotalExact,
        answer.TotalError,
        [.. answer.Contacts.Select(c => new FoundContactResponse(
            c.Contact.IsAnonymous ? null : c.Contact.Value, c.Contact.IsAnonymous ? c.Contact.Value : null, c.Events, c.FirstSeenAt, c.LastSeenAt))],
        answer.Next?.ToString(CultureInfo.InvariantCulture),
        answer.Index.Through);
}

public sealed record FoundContactResponse(string? UserId, string? UserKey, long Events, DateTimeOffset FirstSeenAt, DateTimeOffset LastSeenAt);
