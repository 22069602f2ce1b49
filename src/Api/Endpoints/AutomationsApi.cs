using ProductEvents.Abstractions.Automations;
using ProductEvents.Abstractions.Segments;
using ProductEvents.Api.Audit;
using ProductEvents.Api.Automations;
using ProductEvents.Api.Json;
using ProductEvents.Storage.Audit;
using ProductEvents.Storage.Automations;

namespace ProductEvents.Api.Endpoints;

/// <summary>Automations: definitions (CRUD, enabled flag in the definition) and their runs. Secret key only.</summary>
public static class AutomationsApi
{
    public const int MaxDefinitionBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapAutomationsApi(this IEndpointRouteBuilder routes)
    {
        var automations = routes.MapGroup("/api/v1/automations").WithTags("Automations").RequireAppKey(allowPublicKey: false);
        automations.MapPost("/", CreateAsync).WithName("CreateAutomation")
            .WithSummary("Create an automation").Accepts<AutomationRequest>(JsonBody.ContentType, JsonBody.AnyContentType);
        automations.MapGet("/", ListAsync).WithName("ListAutomations").WithSummary("List the automations of the app");
        automations.MapGet("/{id}", GetAsync).WithName("GetAutomation").WithSummary("Get an automation");
        automations.MapPut("/{id}", UpdateAsync).WithName("UpdateAutomation")
            .WithSummary("Replace an automation's definition").Accepts<AutomationRequest>(JsonBody.ContentType, JsonBody.AnyContentType);
        automations.MapDelete("/{id}", DeleteAsync).WithName("DeleteAutomation").WithSummary("Delete an automation");
        automations.MapGet("/{id}/runs", RunsAsync).WithName("ListAutomationRuns").WithSummary("List the runs of an automation");
        return routes;
    }

    public static async Task<Results<Created<AutomationResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(HttpContext http, IGrainFactory grains, IAuditLog audit)
    {
        var (definition, invalid) = await ReadDefinitionAsync(http);
        if (invalid is not null)
        {
            return invalid;
        }

        var result = await Registry(http, grains).CreateAsync(definition!);
        if (result.LimitReached)
        {
            return Problems.Status(StatusCodes.Status409Conflict, "Too many automations", result.Errors[0].Message);
        }

        if (result.Automation is not { } created)
        {
            return Invalid(result.Errors);
        }

        await audit.WriteAsync(http, AuditActions.AutomationCreate, created.Id, new() { ["name"] = created.Name, ["enabled"] = created.Enabled });
        return TypedResults.Created($"/api/v1/automations/{created.Id}", AutomationResponse.From(created));
    }

    public static async Task<Results<Ok<AutomationResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(HttpContext http, IGrainFactory grains, IAuditLog audit, string id)
    {
        var (definition, invalid) = await ReadDefinitionAsync(http);
        if (invalid is not null)
        {
            return invalid;
        }

        var result = await Registry(http, grains).UpdateAsync(id, definition!);
        if (result is null)
        {
            return NotFound(id);
        }

        if (result.Automation is not { } updated)
        {
            return Invalid(result.Errors);
        }

        await audit.WriteAsync(http, AuditActions.AutomationUpdate, updated.Id, new() { ["name"] = updated.Name, ["enabled"] = updated.Enabled, ["version"] = updated.Version });
        return TypedResults.Ok(AutomationResponse.From(updated));
    }

    public static async Task<Ok<AutomationResponse[]>> ListAsync(HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok((await Registry(http, grains).ListAsync()).Select(AutomationResponse.From).ToArray());

    public static async Task<Results<Ok<AutomationResponse>, ProblemHttpResult>> GetAsync(HttpContext http, IGrainFactory grains, string id) =>
        await Registry(http, grains).GetAsync(id) is { } automation ? TypedResults.Ok(AutomationResponse.From(automation)) : NotFound(id);

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(HttpContext http, IGrainFactory grains, IAuditLog audit, string id)
    {
        if (!await Registry(http, grains).DeleteAsync(id))
        {
            return NotFound(id);
        }

        await audit.WriteAsync(http, AuditActions.AutomationDelete, id);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<AutomationRunListResponse>, ValidationProblem, ProblemHttpResult>> RunsAsync(
        HttpContext http, IGrainFactory grains, IAutomationRunStore runs, string id, [AsParameters] AutomationRunsQuery query)
    {
        if (await Registry(http, grains).GetAsync(id) is null)
        {
            return NotFound(id);
        }

        RunStatus? status = null;
        if (query.Status is { } statusText)
        {
            if (!StatusNames.TryParseRun(statusText, out var parsed))
            {
                return Problems.Invalid("status", "must be one of: waiting, cancelled, fired, capped");
            }

            status = parsed;
        }

        if (!PageLimit.TryRead(query.Limit, out var limit))
        {
            return PageLimit.Invalid();
        }

        var found = await runs.ListAsync(AppKeyFilter.Current(http).AppId, id, status, limit);
        return TypedResults.Ok(new AutomationRunListResponse([.. found.Select(AutomationRunResponse.From)]));
    }

    private static async Task<(string? Definition, ValidationProblem? Invalid)> ReadDefinitionAsync(HttpContext http)
    {
        var (document, error) = await JsonBody.ReadAsync(http.Request, MaxDefinitionBytes, http.RequestAborted);
        if (document is null)
        {
            return (null, error as ValidationProblem ?? Problems.Invalid("body", $"must be a JSON object of at most {MaxDefinitionBytes} bytes"));
        }

        using (document)
        {
            return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                ? (document.RootElement.GetRawText(), null)
                : (null, Problems.Invalid("body", "must be a JSON object with name, trigger and action"));
        }
    }

    private static ValidationProblem Invalid(IReadOnlyList<DefinitionError> errors) =>
        Problems.Invalid(errors.GroupBy(e => e.Path.Length == 0 ? "body" : e.Path).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()));

    private static ProblemHttpResult NotFound(string id) =>
        Problems.Status(StatusCodes.Status404NotFound, "Automation not found", $"No automation '{id}' in this app.");

    private static IAutomationRegistryGrain Registry(HttpContext http, IGrainFactory grains) =>
        grains.GetGrain<IAutomationRegistryGrain>(AppKeyFilter.Current(http).AppId);
}
