using System.Globalization;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProductEvents.Api.Endpoints;
using ProductEvents.Storage.Numbers;

namespace ProductEvents.Api.UserCom;

/// <summary>
/// User.com-style page numbers (<c>?page=2&amp;page_size=50</c>, at most 100 a page) over the log's keyset listing.
/// A <c>next</c> URL carries the cursor of its page, so reading page after page costs one query each; jumping to a
/// page without one walks the listing up to it, at most <see cref="MaxSkippedEvents"/> events deep.
/// </summary>
public static class UserComPaging
{
    public const int MaxPageSize = 100;
    public const int MaxSkippedEvents = 50_000;

    public static async Task<Results<Ok<UserComPage<UserComProductEvent>>, ValidationProblem, ProblemHttpResult>> ListAsync(
        HttpContext http, IEventLog log, IEntityNumbers numbers, string? productId, ContactRef? contact)
    {
        var app = AppKeyFilter.Current(http);
        var q = http.Request.Query;
        var query = EventListing.Parse(q, app.AppId, productId, contact is { IsAnonymous: false } user ? user.Value : null, out var errors);
        if (contact is { IsAnonymous: true } visitor)
        {
            query = query is null ? null : query with { UserKey = visitor.Value };
        }

        var page = ReadWhole(q, "page", 1, int.MaxValue, 1, errors);
        var pageSize = ReadWhole(q, "page_size", 1, MaxPageSize, MaxPageSize, errors);
        var cursor = query?.After;
        if (cursor is null && (long)(page - 1) * pageSize > MaxSkippedEvents)
        {
            errors["page"] = [$"may skip at most {MaxSkippedEvents} events; follow the 'next' URLs, or narrow the listing with type"];
        }

        if (query is null || errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var count = await log.CountAsync(query, http.RequestAborted);
        var exhausted = false;
        if (cursor is null && page > 1)
        {
            var toSkip = (page - 1) * pageSize;
            while (toSkip > 0 && !exhausted)
            {
                var skipped = await log.QueryAsync(query with { Limit = Math.Min(toSkip, PageLimit.Max), After = cursor }, http.RequestAborted);
                toSkip -= skipped.Results.Count;
                cursor = skipped.Next;
                exhausted = cursor is null;
            }
        }

        var result = exhausted
            ? new EventPage([], null)
            : await log.QueryAsync(query with { Limit = pageSize, After = cursor }, http.RequestAborted);
        if (page > 1 && result.Results.Count == 0)
        {
            return Problems.Status(StatusCodes.Status404NotFound, "Invalid page", $"Page {page} is past the last page of {count} events.");
        }

        var next = result.Next is { } nextCursor && (long)page * pageSize < count
            ? Url(http.Request, page + 1, nextCursor.Encode())
            : null;
        var previous = page > 1 ? Url(http.Request, page - 1, null) : null;
        var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(UserComPaging));
        var contacts = await ContactsOfAsync(log, app.AppId, result.Results, http.RequestAborted);
        var keys = result.Results.SelectMany((e, i) => new[] { NumberedKey.Product(e.ProductId), NumberedKey.Contact(contacts[i]) }).ToArray();
        var ids = await numbers.GetOrAssignAsync(app.AppId, keys, http.RequestAborted);
        return TypedResults.Ok(new UserComPage<UserComProductEvent>(count, next, previous, result.Results
            .Select((e, i) => UserComProductEvent.From(e, ids[2 * i], contacts[i], ids[(2 * i) + 1], logger))
            .ToArray()));
    }

    /// <summary>Each event's contact: a visitor merged into a contact (identify) is shown as that contact.</summary>
    private static async Task<ContactRef[]> ContactsOfAsync(IEventLog log, string appId, IReadOnlyList<ProductEventRecord> events, CancellationToken cancellationToken)
    {
        var visitors = events.Where(e => e.UserId is null).Select(e => e.UserKey!).Distinct(StringComparer.Ordinal).ToArray();
        var owners = visitors.Length == 0
            ? new Dictionary<string, string>()
            : await log.ResolveAliasesAsync(appId, visitors, cancellationToken);
        return [.. events.Select(e => e.UserId is null && owners.TryGetValue(e.UserKey!, out var owner) ? ContactRef.User(owner) : e.Contact)];
    }

    private static int ReadWhole(IQueryCollection q, string name, int min, int max, int fallback, Dictionary<string, string[]> errors)
    {
        if (!q.TryGetValue(name, out var text))
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        errors[name] = [max == int.MaxValue ? $"must be a whole number from {min}" : $"must be a whole number from {min} to {max}"];
        return fallback;
    }

    private static string Url(HttpRequest request, int page, string? cursor)
    {
        var query = new QueryBuilder(request.Query
            .Where(p => p.Key is not ("page" or "cursor"))
            .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string>(p.Key, v ?? ""))))
        {
            { "page", page.ToString(CultureInfo.InvariantCulture) },
        };
        if (cursor is not null)
        {
            query.Add("cursor", cursor);
        }

        return PageLinks.To(request, query.ToQueryString());
    }
}
