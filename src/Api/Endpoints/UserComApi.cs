using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using ProductEvents.Abstractions;
using ProductEvents.Api.Apps;
using ProductEvents.Api.Contracts;
using ProductEvents.Api.EventLog;
using ProductEvents.Api.Ingest;
using ProductEvents.Api.Json;
using ProductEvents.Api.UserCom;
using ProductEvents.Storage.EventLog;

namespace ProductEvents.Api.Endpoints;

/// <summary>
/// The User.com-compatible REST layer under <c>/api/public/</c>, for clients already written against it. It
/// translates to the native shape and goes through the same parser, pipeline and listings as <c>/api/v1</c>.
/// </summary>
public static class UserComApi
{
    public static IEndpointRouteBuilder MapUserComApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/public").WithTags("User.com-compatible").RequireAppKey(allowPublicKey: false);
        api.MapPost("/products-by-id/{custom_id}/product_event/", PostProductEventAsync).WithName("UserComPostProductEvent");
        api.MapGet("/products-by-id/{custom_id}/details/", GetProductAsync).WithName("UserComGetProduct");
        api.MapGet("/products-by-id/{custom_id}/product_events/", (HttpContext http, IEventLog log, string custom_id) =>
            UserComPaging.ListAsync(http, log, productId: custom_id, userId: null)).WithName("UserComListProductEventsOfProduct");
        api.MapGet("/users-by-id/{custom_id}/product_events/", (HttpContext http, IEventLog log, string custom_id) =>
            UserComPaging.ListAsync(http, log, productId: null, userId: custom_id)).WithName("UserComListProductEventsOfUser");
        return routes;
    }

    public static async Task<Results<Created<UserComCreatedResponse>, Ok<UserComCreatedResponse>, ValidationProblem, ProblemHttpResult>> PostProductEventAsync(
        HttpContext http, IngestPipeline pipeline, IOptions<IngestOptions> options, TimeProvider clock, string custom_id)
    {
        var app = AppKeyFilter.Current(http);
        var (document, error) = await JsonBody.ReadAsync(http.Request, IngestLimits.MaxEventBytes, http.RequestAborted);
        if (document is null)
        {
            return error switch
            {
                ValidationProblem validation => validation,
                ProblemHttpResult problem => problem,
                _ => throw new InvalidOperationException("Unexpected body error."),
            };
        }

        using (document)
        {
            var native = UserComEventTranslator.Translate(document.RootElement, custom_id, out var translationErrors);
            if (native is null)
            {
                return Problems.Invalid(translationErrors!);
            }

            var record = ProductEventParser.Parse(JsonSerializer.SerializeToElement(native), app.AppId, clock.GetUtcNow(), out var errors);
            if (record is null)
            {
                return Problems.Invalid(UserComEventTranslator.RenameErrors(errors!, document.RootElement));
            }

            var (outcomes, failure) = await IngestSubmission.SubmitAsync(http, pipeline, options.Value, [record]);
            if (failure is not null)
            {
                return failure;
            }

            var outcome = outcomes![0];
            if (outcome.IsRefused)
            {
                return Problems.Invalid("body", outcome.RefusedBecause!);
            }

            var body = new UserComCreatedResponse(outcome.Id.ToString());
            return outcome.IsDuplicate ? TypedResults.Ok(body) : TypedResults.Created((string?)null, body);
        }
    }

    public static async Task<Results<Ok<UserComProduct>, ProblemHttpResult>> GetProductAsync(HttpContext http, IGrainFactory grains, IngestPipeline pipeline, string custom_id)
    {
        var app = AppKeyFilter.Current(http);
        await pipeline.WhenAppliedAsync();
        var product = await grains.GetGrain<IProductGrain>(GrainKeys.Product(app.AppId, custom_id)).GetAsync();
        return product is null
            ? Problems.Status(StatusCodes.Status404NotFound, "Product not found", $"No event has created product '{custom_id}' in this app.")
            : TypedResults.Ok(UserComProduct.From(product));
    }
}
