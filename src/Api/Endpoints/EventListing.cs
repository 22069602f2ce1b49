using System.Globalization;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ProductEvents.Api.Endpoints;

/// <summary>
/// The listings of product events (app-wide, per product, per contact): the same filters
/// (<c>type, product_id, user_id, user_key, since, until, limit, cursor</c>) and the same paging.
/// </summary>
public static class EventListing
{
    public static async Task<Results<Ok<EventListResponse>, ValidationProblem>> ListAsync(
        HttpContext http, IEventLog log, string? productId, string? userId)
    {
        var app = AppKeyFilter.Current(http);
        var query = Parse(http.Request.Query, app.AppId, productId, userId, out var errors);
        if (query is null)
        {
            return Problems.Invalid(errors);
        }

        var page = await log.QueryAsync(query, http.RequestAborted);
        var next = page.Next is { } cursor ? NextUrl(http.Request, cursor.Encode()) : null;
        var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(EventListing));
        return TypedResults.Ok(new EventListResponse(page.Results.Select(e => ProductEventResponse.From(e, logger)).ToArray(), next));
    }

    public static EventQuery? Parse(IQueryCollection q, string appId, string? productId, string? userId, out Dictionary<string, string[]> errors)
    {
        errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        ProductEventType? type = null;
        if (q.TryGetValue("type", out var typeText))
        {
            if (ProductEventTypes.TryParse(typeText, out var parsed))
            {
                type = parsed;
            }
            else
            {
                errors["type"] = [$"is not a known event type; allowed values: {ProductEventTypes.AllowedValuesText}"];
            }
        }

        var since = ReadTime(q, "since", errors);
        var until = ReadTime(q, "until", errors);
        if (!PageLimit.TryRead(q, out var limit))
        {
            errors["limit"] = [PageLimit.Reason];
        }

        EventCursor? after = null;
        if (q.TryGetValue("cursor", out var cursorText))
        {
            if (EventCursor.TryDecode(cursorText, out var cursor))
            {
                after = cursor;
            }
            else
            {
                errors["cursor"] = ["is not a cursor this API gave out; use the 'next' URL of the previous page"];
            }
        }

        productId ??= ReadId(q, "product_id", IngestLimits.MaxProductIdLength, errors);
        userId ??= ReadId(q, "user_id", IngestLimits.MaxUserIdLength, errors);
        var userKey = ReadId(q, "user_key", IngestLimits.MaxUserIdLength, errors);

        return errors.Count > 0 ? null : new EventQuery(appId, productId, userId, userKey, type, since, until, limit, after);
    }

    internal static DateTimeOffset? ReadTime(IQueryCollection q, string name, Dictionary<string, string[]> errors)
    {
        if (!q.TryGetValue(name, out var text))
        {
            return null;
        }

        if (TimestampParser.TryParse(text, out var time))
        {
            return time;
        }

        errors[name] = ["must be an ISO-8601 date-time or unix seconds"];
        return null;
    }

    internal static string? ReadId(IQueryCollection q, string name, int maxLength, Dictionary<string, string[]> errors)
    {
        if (!q.TryGetValue(name, out var text))
        {
            return null;
        }

        var value = text.ToString();
        if (value.Length == 0 || value.Length > maxLength)
        {
            errors[name] = [$"must be 1 to {maxLength} characters"];
            return null;
        }

        return value;
    }

    /// <summary>The request's own path and query with <c>cursor</c> set: the <c>next</c> link of a page.</summary>
    internal static string NextUrl(HttpRequest request, string cursor)
    {
        var query = new QueryBuilder(request.Query
            .Where(p => p.Key != "cursor")
            .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string>(p.Key, v ?? ""))))
        {
            { "cursor", cursor },
        };
        return PageLinks.To(request, query.ToQueryString());
    }
}
