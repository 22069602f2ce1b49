using System.Globalization;
using ProductEvents.Api.Audit;
using ProductEvents.Api.Operator;
using ProductEvents.Storage.Audit;

namespace ProductEvents.Api.Endpoints;

/// <summary>The audit log, behind the operator key: who changed keys, apps, segments, automations, campaigns, erasures.</summary>
public static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/api/admin/audit").WithTags("Admin").RequireOperatorKey()
            .MapGet("/", ListAsync).WithName("ListAuditEntries").WithSummary("List audit entries, newest first");
        return routes;
    }

    public static async Task<Results<Ok<AuditListResponse>, ValidationProblem>> ListAsync(
        HttpContext http, IAuditLog audit, [AsParameters] AuditListQuery query)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (query.Action is { } action && !AuditActions.All.Contains(action))
        {
            errors["action"] = [$"must be one of: {string.Join(", ", AuditActions.All.Order(StringComparer.Ordinal))}"];
        }

        var since = ReadTime(query.Since, "since", errors);
        var until = ReadTime(query.Until, "until", errors);
        long? before = null;
        if (query.Cursor is { } cursor)
        {
            if (long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0)
            {
                before = id;
            }
            else
            {
                errors["cursor"] = ["is not a cursor this API gave out; use the 'next' URL of the previous page"];
            }
        }

        if (!PageLimit.TryRead(query.Limit, out var limit))
        {
            errors["limit"] = [PageLimit.Reason];
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var found = await audit.ListAsync(new AuditQuery(query.App, query.Action, since, until, before), limit + 1, http.RequestAborted);
        var next = found.Count > limit ? EventListing.NextUrl(http.Request, found[limit - 1].Id.ToString(CultureInfo.InvariantCulture)) : null;
        return TypedResults.Ok(new AuditListResponse([.. found.Take(limit).Select(AuditEntryResponse.From)], next));
    }

    private static DateTimeOffset? ReadTime(string? text, string field, Dictionary<string, string[]> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (TimestampParser.TryParse(text, out var time))
        {
            return time;
        }

        errors[field] = ["must be an ISO-8601 date-time or unix seconds"];
        return null;
    }
}
