using System.Globalization;
using ProductEvents.Api.Json;

namespace ProductEvents.Api.Endpoints;

/// <summary>
/// <c>POST /api/v1/identify</c>: the page now knows who the anonymous visitor is. The visitor's key is recorded as
/// the contact's (durably, first claim wins) and the contact merges the visitor's events, earlier and later.
/// </summary>
public static class IdentifyApi
{
    private const int MaxBodyBytes = 4 * 1024;

    public static IEndpointRouteBuilder MapIdentifyApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/api/v1/identify").WithTags("Contacts").RequireAppKey(allowPublicKey: true)
            .MapPost("/", IdentifyAsync).WithName("IdentifyVisitor");
        return routes;
    }

    public static async Task<Results<Ok<IdentifyResponse>, ValidationProblem, ProblemHttpResult>> IdentifyAsync(
        HttpContext http, IEventLog log, IGrainFactory grains)
    {
        var app = AppKeyFilter.Current(http);
        var (document, error) = await JsonBody.ReadAsync(http.Request, MaxBodyBytes, http.RequestAborted);
        if (document is null)
        {
            return error switch
            {
                ValidationProblem validation => validation,
                ProblemHttpResult problem => problem,
                _ => throw new InvalidOperationException("Unexpected body error."),
            };
        }

        string? userId, userKey;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        using (document)
        {
            var body = document.RootElement;
            if (body.ValueKind != JsonValueKind.Object)
            {
                return Problems.Invalid("body", "must be a JSON object with user_id and user_key");
            }

            userId = ReadId(body, "user_id", errors);
            userKey = ReadId(body, "user_key", errors);
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var owner = await log.AddAliasAsync(app.AppId, userKey!, userId!, http.RequestAborted);
        if (owner != userId)
        {
            return Problems.Status(StatusCodes.Status409Conflict, "Visitor already identified",
                "This user_key already belongs to another contact; a visitor key is merged into one contact only. Start a new visitor key for a different contact.");
        }

        await grains.GetGrain<IContactGrain>(GrainKeys.Contact(app.AppId, ContactRef.User(userId!))).MergeVisitorsAsync();
        return TypedResults.Ok(new IdentifyResponse(userId!, userKey!));
    }

    private static string? ReadId(JsonElement body, string field, Dictionary<string, string[]> errors)
    {
        if (!body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            errors[field] = ["is required"];
            return null;
        }

        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number when value.TryGetInt64(out var number) => number.ToString(CultureInfo.InvariantCulture),
            _ => null,
        };
        if (string.IsNullOrWhiteSpace(text) || text.Length > IngestLimits.MaxUserIdLength)
        {
            errors[field] = [$"must be a string (or an integer) of 1 to {IngestLimits.MaxUserIdLength} characters"];
            return null;
        }

        return text;
    }
}
