using ProductEvents.Abstractions.Automations;
using ProductEvents.Abstractions.Campaigns;
using ProductEvents.Api.Audit;
using ProductEvents.Api.Campaigns;
using ProductEvents.Api.Json;
using ProductEvents.Storage.Audit;
using ProductEvents.Storage.Automations;

namespace ProductEvents.Api.Endpoints;

/// <summary>Campaigns: a templated webhook to every member of a segment, now or at a time, throttled. Secret key only.</summary>
public static class CampaignsApi
{
    public const int MaxDefinitionBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapCampaignsApi(this IEndpointRouteBuilder routes)
    {
        var campaigns = routes.MapGroup("/api/v1/campaigns").WithTags("Campaigns").RequireAppKey(allowPublicKey: false);
        campaigns.MapPost("/", CreateAsync).WithName("CreateCampaign")
            .WithSummary("Create a campaign").Accepts<CampaignRequest>(JsonBody.ContentType, JsonBody.AnyContentType);
        campaigns.MapGet("/", ListAsync).WithName("ListCampaigns").WithSummary("List the campaigns of the app");
        campaigns.MapGet("/{id}", GetAsync).WithName("GetCampaign").WithSummary("Get a campaign, its progress and its delivery report");
        campaigns.MapPost("/{id}/cancel", CancelAsync).WithName("CancelCampaign").WithSummary("Cancel a campaign");
        return routes;
    }

    public static async Task<Results<Created<CampaignResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(HttpContext http, IGrainFactory grains, IAuditLog audit)
    {
        var (document, error) = await JsonBody.ReadAsync(http.Request, MaxDefinitionBytes, http.RequestAborted);
        if (document is null)
        {
            return error as ValidationProblem ?? Problems.Invalid("body", $"must be a JSON object of at most {MaxDefinitionBytes} bytes");
        }

        string json;
        using (document)
        {
            json = document.RootElement.GetRawText();
        }

        var result = await grains.GetGrain<ICampaignRegistryGrain>(AppKeyFilter.Current(http).AppId).CreateAsync(json);
        if (result.LimitReached)
        {
            return Problems.Status(StatusCodes.Status409Conflict, "Too many campaigns", result.Errors[0].Message);
        }

        if (result.Campaign is { } created)
        {
            await audit.WriteAsync(http, AuditActions.CampaignCreate, created.Id, new() { ["name"] = created.Spec.Name, ["segment_id"] = created.Spec.SegmentId });
            return TypedResults.Created($"/api/v1/campaigns/{created.Id}", CampaignResponse.From(created));
        }

        return Problems.Invalid(result.Errors.GroupBy(e => e.Path.Length == 0 ? "body" : e.Path).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()));
    }

    public static async Task<Results<Ok<CampaignListResponse>, ValidationProblem>> ListAsync(HttpContext http, IGrainFactory grains, [AsParameters] CampaignsQuery query)
    {
        if (!PageLimit.TryRead(query.Limit, out var limit))
        {
            return PageLimit.Invalid();
        }

        var found = await grains.GetGrain<ICampaignRegistryGrain>(AppKeyFilter.Current(http).AppId).ListAsync(limit);
        return TypedResults.Ok(new CampaignListResponse([.. found.Select(c => CampaignResponse.From(c))]));
    }

    public static async Task<Results<Ok<CampaignResponse>, ProblemHttpResult>> GetAsync(HttpContext http, IGrainFactory grains, IDeliveryOutbox outbox, string id)
    {
        var appId = AppKeyFilter.Current(http).AppId;
        return await Campaign(grains, appId, id).GetAsync() is { } info
            ? TypedResults.Ok(CampaignResponse.From(info, await outbox.CountCampaignAsync(appId, id, http.RequestAborted)))
            : NotFound(id);
    }

    public static async Task<Results<Ok<CampaignResponse>, ProblemHttpResult>> CancelAsync(HttpContext http, IGrainFactory grains, IAuditLog audit, string id)
    {
        if (await Campaign(grains, AppKeyFilter.Current(http).AppId, id).CancelAsync() is not { } info)
        {
            return NotFound(id);
        }

        await audit.WriteAsync(http, AuditActions.CampaignCancel, id);
        return TypedResults.Ok(CampaignResponse.From(info));
    }

    private static ICampaignGrain Campaign(IGrainFactory grains, string appId, string id) =>
        grains.GetGrain<ICampaignGrain>($"{appId}/{id}");

    private static ProblemHttpResult NotFound(string id) =>
        Problems.Status(StatusCodes.Status404NotFound, "Campaign not found", $"No campaign '{id}' in this app.");
}
