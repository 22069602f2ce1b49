using System.Buffers.Text;
using System.Globalization;
using System.Text;
using ProductEvents.Abstractions.Segments;
using ProductEvents.Api.Audit;
using ProductEvents.Api.Json;
using ProductEvents.Storage.Audit;
using ProductEvents.Storage.Segments;

namespace ProductEvents.Api.Endpoints;

/// <summary>Segments: definitions (CRUD), their members, counts and change feeds, and a contact's segments.</summary>
public static class SegmentsApi
{
    public const int MaxNameLength = 200;
    public const int MaxDefinitionBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapSegmentsApi(this IEndpointRouteBuilder routes)
    {
        var segments = routes.MapGroup("/api/v1/segments").WithTags("Segments").RequireAppKey(allowPublicKey: false);
        segments.MapPost("/", CreateAsync).WithName("CreateSegment");
        segments.MapGet("/", ListAsync).WithName("ListSegments");
        segments.MapGet("/{id}", GetAsync).WithName("GetSegment");
        segments.MapPut("/{id}", UpdateAsync).WithName("UpdateSegment");
        segments.MapDelete("/{id}", DeleteAsync).WithName("DeleteSegment");
        segments.MapGet("/{id}/members", MembersAsync).WithName("ListSegmentMembers");
        segments.MapGet("/{id}/members/{user_id}", MemberAsync).WithName("GetSegmentMember");
        segments.MapGet("/{id}/count", CountAsync).WithName("CountSegmentMembers");
        segments.MapGet("/{id}/changes", ChangesAsync).WithName("ListSegmentChanges");
        routes.MapGroup("/api/v1/contacts").WithTags("Contacts").RequireAppKey(allowPublicKey: false)
            .MapGet("/{user_id}/segments", ContactSegmentsAsync).WithName("ListContactSegments");
        return routes;
    }

    public static async Task<Results<Created<SegmentResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(HttpContext http, IGrainFactory grains, IAuditLog audit)
    {
        var (name, condition, invalid) = await ReadDefinitionAsync(http);
        if (invalid is not null)
        {
            return invalid;
        }

        var result = await Registry(http, grains).CreateAsync(name!, condition!);
        if (result.LimitReached)
        {
            return Problems.Status(StatusCodes.Status409Conflict, "Too many segments", result.Errors[0].Message);
        }

        if (result.Segment is not { } created)
        {
            return Invalid(result.Errors);
        }

        await audit.WriteAsync(http, AuditActions.SegmentCreate, created.Id, new() { ["name"] = created.Name });
        return TypedResults.Created($"/api/v1/segments/{created.Id}", SegmentResponse.From(created));
    }

    public static async Task<Results<Ok<SegmentResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(HttpContext http, IGrainFactory grains, IAuditLog audit, string id)
    {
        var (name, condition, invalid) = await ReadDefinitionAsync(http);
        if (invalid is not null)
        {
            return invalid;
        }

        var result = await Registry(http, grains).UpdateAsync(id, name!, condition!);
        if (result is null)
        {
            return NotFound(id);
        }

        if (result.Segment is not { } updated)
        {
            return Invalid(result.Errors);
        }

        await audit.WriteAsync(http, AuditActions.SegmentUpdate, updated.Id, new() { ["name"] = updated.Name, ["version"] = updated.Version });
        return TypedResults.Ok(SegmentResponse.From(updated));
    }

    public static async Task<Ok<SegmentResponse[]>> ListAsync(HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok((await Registry(http, grains).ListAsync()).Select(SegmentResponse.From).ToArray());

    public static async Task<Results<Ok<SegmentResponse>, ProblemHttpResult>> GetAsync(HttpContext http, IGrainFactory grains, string id) =>
        await Registry(http, grains).GetAsync(id) is { } segment ? TypedResults.Ok(SegmentResponse.From(segment)) : NotFound(id);

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(HttpContext http, IGrainFactory grains, IAuditLog audit, string id)
    {
        if (!await Registry(http, grains).DeleteAsync(id))
        {
            return NotFound(id);
        }

        await audit.WriteAsync(http, AuditActions.SegmentDelete, id);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<SegmentMembersResponse>, ValidationProblem, ProblemHttpResult>> MembersAsync(
        HttpContext http, IGrainFactory grains, ISegmentMembershipStore store, string id)
    {
        if (await Registry(http, grains).GetAsync(id) is not { } segment)
        {
            return NotFound(id);
        }

        var query = http.Request.Query;
        if (!PageLimit.TryRead(query, out var limit))
        {
            return PageLimit.Invalid();
        }

        if (!TryReadKeyCursor(query, out var after))
        {
            return Problems.Invalid("cursor", "is not a cursor this API gave out; use the 'next' URL of the previous page");
        }

        var members = await store.ListAsync(AppKeyFilter.Current(http).AppId, id, after, limit + 1);
        var next = members.Count > limit ? EventListing.NextUrl(http.Request, EncodeKey(ContactKeys.Of(members[limit - 1].Contact))) : null;
        var results = members.Take(limit)
            .Select(m => new SegmentMemberResponse(m.Contact.IsAnonymous ? null : m.Contact.Value, m.Contact.IsAnonymous ? m.Contact.Value : null, m.Since))
            .ToArray();
        return TypedResults.Ok(new SegmentMembersResponse(results, next, SegmentResponse.StatusName(segment.Status)));
    }

    public static async Task<Results<Ok<SegmentMembershipResponse>, ProblemHttpResult>> MemberAsync(
        HttpContext http, IGrainFactory grains, ISegmentMembershipStore store, string id, string user_id)
    {
        if (await Registry(http, grains).GetAsync(id) is not { } segment)
        {
            return NotFound(id);
        }

        var member = await store.GetAsync(AppKeyFilter.Current(http).AppId, id, ContactRef.User(PathIds.Decode(http, 6, user_id)));
        return TypedResults.Ok(new SegmentMembershipResponse(member is not null, member?.Since, SegmentResponse.StatusName(segment.Status)));
    }

    public static async Task<Results<Ok<SegmentCountResponse>, ProblemHttpResult>> CountAsync(
        HttpContext http, IGrainFactory grains, ISegmentMembershipStore store, string id)
    {
        if (await Registry(http, grains).GetAsync(id) is not { } segment)
        {
            return NotFound(id);
        }

        var count = await store.CountAsync(AppKeyFilter.Current(http).AppId, id);
        return TypedResults.Ok(new SegmentCountResponse(count, SegmentResponse.StatusName(segment.Status)));
    }

    public static async Task<Results<Ok<SegmentChangesResponse>, ValidationProblem, ProblemHttpResult>> ChangesAsync(
        HttpContext http, IGrainFactory grains, ISegmentMembershipStore store, string id)
    {
        if (await Registry(http, grains).GetAsync(id) is null)
        {
            return NotFound(id);
        }

        var query = http.Request.Query;
        DateTimeOffset? since = null;
        if (query.TryGetValue("since", out var sinceText))
        {
            if (!Ingest.TimestampParser.TryParse(sinceText, out var parsed))
            {
                return Problems.Invalid("since", "must be an ISO-8601 date-time or unix seconds");
            }

            since = parsed;
        }

        if (!PageLimit.TryRead(query, out var limit))
        {
            return PageLimit.Invalid();
        }

        long after = 0;
        if (query.TryGetValue("cursor", out var cursorText)
            && (!long.TryParse(cursorText, NumberStyles.None, CultureInfo.InvariantCulture, out after)))
        {
            return Problems.Invalid("cursor", "is not a cursor this API gave out");
        }

        var changes = await store.ChangesAsync(AppKeyFilter.Current(http).AppId, id, since, after, limit + 1);
        var next = changes.Count > limit ? EventListing.NextUrl(http.Request, changes[limit - 1].Number.ToString(CultureInfo.InvariantCulture)) : null;
        var results = changes.Take(limit).Select(c => new SegmentChangeResponse(
            c.Number, c.Contact.IsAnonymous ? null : c.Contact.Value, c.Contact.IsAnonymous ? c.Contact.Value : null, c.Joined ? "join" : "leave", c.At, c.Erased)).ToArray();
        return TypedResults.Ok(new SegmentChangesResponse(results, next));
    }

    public static async Task<Ok<ContactSegmentsResponse>> ContactSegmentsAsync(HttpContext http, IGrainFactory grains, IngestPipeline pipeline, string user_id)
    {
        var appId = AppKeyFilter.Current(http).AppId;
        await pipeline.WhenAppliedAsync();
        user_id = PathIds.Decode(http, 4, user_id);
        var memberships = await grains.GetKeyedGrain<IContactGrain>(GrainKeys.Contact(appId, ContactRef.User(user_id))).GetSegmentsAsync();
        var names = (await grains.GetGrain<ISegmentRegistryGrain>(appId).ListAsync()).ToDictionary(s => s.Id, s => s.Name);
        var results = memberships.Where(m => names.ContainsKey(m.SegmentId)).Select(m => new ContactSegmentResponse(m.SegmentId, names[m.SegmentId], m.Since)).ToArray();
        return TypedResults.Ok(new ContactSegmentsResponse(user_id, results));
    }

    private static async Task<(string? Name, string? Condition, ValidationProblem? Invalid)> ReadDefinitionAsync(HttpContext http)
    {
        var (document, error) = await JsonBody.ReadAsync(http.Request, MaxDefinitionBytes, http.RequestAborted);
        if (document is null)
        {
            return (null, null, error as ValidationProblem ?? Problems.Invalid("body", $"must be a JSON object of at most {MaxDefinitionBytes} bytes"));
        }

        using (document)
        {
            var root = document.RootElement;
            var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, null, Problems.Invalid("body", "must be a JSON object with name and condition"));
            }

            string? name = null;
            if (!root.TryGetProperty("name", out var nameElement) || nameElement.ValueKind != JsonValueKind.String
                || string.IsNullOrWhiteSpace(name = nameElement.GetString()) || name.Length > MaxNameLength)
            {
                errors["name"] = [$"is required: a string of 1 to {MaxNameLength} characters"];
            }

            if (!root.TryGetProperty("condition", out var condition) || condition.ValueKind != JsonValueKind.Object)
            {
                errors["condition"] = ["is required: a condition object ({\"all\"|\"any\"|\"not\"|\"event\": ...})"];
            }

            foreach (var property in root.EnumerateObject().Where(p => p.Name is not ("name" or "condition")))
            {
                errors[property.Name] = ["is not a segment field (name, condition)"];
            }

            return errors.Count > 0 ? (null, null, Problems.Invalid(errors)) : (name, condition.GetRawText(), null);
        }
    }

    private static ValidationProblem Invalid(IReadOnlyList<DefinitionError> errors) =>
        Problems.Invalid(errors.GroupBy(e => e.Path).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()));

    private static ProblemHttpResult NotFound(string id) =>
        Problems.Status(StatusCodes.Status404NotFound, "Segment not found", $"No segment '{id}' in this app.");

    private static ISegmentRegistryGrain Registry(HttpContext http, IGrainFactory grains) =>
        grains.GetGrain<ISegmentRegistryGrain>(AppKeyFilter.Current(http).AppId);

    private static bool TryReadKeyCursor(IQueryCollection query, out string? after)
    {
        after = null;
        if (!query.TryGetValue("cursor", out var text))
        {
            return true;
        }

        try
        {
            after = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text.ToString()));
            return after.Length > 2 && after[1] == '/';
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static string EncodeKey(string contactKey) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(contactKey));
}
