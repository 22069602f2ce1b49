using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using ProductEvents.Abstractions.Automations;
using ProductEvents.Abstractions.Segments;
using ProductEvents.Api.Apps;
using ProductEvents.Api.Automations;
using ProductEvents.Api.Json;
using ProductEvents.Storage.Automations;

namespace ProductEvents.Api.Endpoints;

/// <summary>Automations: definitions (CRUD, enabled flag in the definition) and their runs. Secret key only.</summary>
public static class AutomationsApi
{
    public const int MaxDefinitionBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapAutomationsApi(this IEndpointRouteBuilder routes)
    {
        var automations = routes.MapGroup("/api/v1/automations").WithTags("Automations").RequireAppKey(allowPublicKey: false);
        automations.MapPost("/", CreateAsync).WithName("CreateAutomation");
        automations.MapGet("/", ListAsync).WithName("ListAutomations");
        automations.MapGet("/{id}", GetAsync).WithName("GetAutomation");
        automations.MapPut("/{id}", UpdateAsync).WithName("UpdateAutomation");
        automations.MapDelete("/{id}", DeleteAsync).WithName("DeleteAutomation");
        automations.MapGet("/{id}/runs", RunsAsync).WithName("ListAutomationRuns");
        return routes;
    }

    public static async Task<Results<Created<JsonObject>, ValidationProblem, ProblemHttpResult>> CreateAsync(HttpContext http, IGrainFactory grains)
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

        return result.Automation is { } created
            ? TypedResults.Created($"/api/v1/automations/{created.Id}", AutomationJson.Automation(created))
            : Invalid(result.Errors);
    }

    public static async Task<Results<Ok<JsonObject>, ValidationProblem, ProblemHttpResult>> UpdateAsync(HttpContext http, IGrainFactory grains, string id)
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

        return result.Automation is { } updated ? TypedResults.Ok(AutomationJson.Automation(updated)) : Invalid(result.Errors);
    }

    public static async Task<Ok<JsonObject[]>> ListAsync(HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok((await Registry(http, grains).ListAsync()).Select(AutomationJson.Automation).ToArray());

    public static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> GetAsync(HttpContext http, IGrainFactory grains, string id) =>
        await Registry(http, grains).GetAsync(id) is { } automation ? TypedResults.Ok(AutomationJson.Automation(automation)) : NotFound(id);

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(HttpContext http, IGrainFactory grains, string id) =>
        await Registry(http, grains).DeleteAsync(id) ? TypedResults.NoContent() : NotFound(id);

    public static async Task<Results<Ok<JsonObject>, ValidationProblem, ProblemHttpResult>> RunsAsync(
        HttpContext http, IGrainFactory grains, IAutomationRunStore runs, string id)
    {
        if (await Registry(http, grains).GetAsync(id) is null)
        {
            return NotFound(id);
        }

        var query = http.Request.Query;
        RunStatus? status = null;
        if (query.TryGetValue("status", out var statusText))
        {
            if (!StatusNames.TryParseRun(statusText, out var parsed))
            {
                return Problems.Invalid("status", "must be one of: waiting, cancelled, fired, capped");
            }

            status = parsed;
        }

        if (!PageLimit.TryRead(query, out var limit))
        {
            return PageLimit.Invalid();
        }

        var found = await runs.ListAsync(AppKeyFilter.Current(http).AppId, id, status, limit);
        return TypedResults.Ok(new JsonObject { ["results"] = new JsonArray([.. found.Select(r => (JsonNode)AutomationJson.Run(r))]) });
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
