using System.Globalization;
using System.Text.Json.Nodes;
using ProductEvents.Api.Json;
using ProductEvents.Api.Telemetry;
using ProductEvents.Api.UserCom;
using ProductEvents.Storage.Numbers;

namespace ProductEvents.Api.Endpoints;

/// <summary>
/// The User.com-compatible REST layer under <c>/api/public/</c>, for clients already written against it: User.com's
/// product-event routes with integer ids (<c>products/{id}</c>, <c>users/{id}</c>) and with the shop's ids
/// (<c>products-by-id/{custom_id}</c>, <c>users-by-id/{custom_id}</c>). It translates to the native shape and goes
/// through the same parser, pipeline and listings as <c>/api/v1</c>. Routing takes each path with or without its
/// trailing slash.
/// </summary>
public static class UserComApi
{
    public static IEndpointRouteBuilder MapUserComApi(this IEndpointRouteBuilder routes)
    {
        // Sending an event is what a public key may do, here as on the native ingest endpoint.
        var send = routes.MapGroup("/api/public").WithTags("User.com-compatible").RequireAppKey(allowPublicKey: true);
        send.MapPost("/products/{id}/product_event/", PostProductEventByIdAsync).WithName("UserComPostProductEventById");
        send.MapPost("/products-by-id/{custom_id}/product_event/", PostProductEventAsync).WithName("UserComPostProductEvent");

        var read = routes.MapGroup("/api/public").WithTags("User.com-compatible").RequireAppKey(allowPublicKey: false);
        read.MapGet("/products/{id}/", GetProductByIdAsync).WithName("UserComGetProductById");
        read.MapGet("/products-by-id/{custom_id}/details/", GetProductAsync).WithName("UserComGetProduct");
        read.MapGet("/products/{id}/product_events/", ListProductEventsByIdAsync).WithName("UserComListProductEventsOfProductById");
        read.MapGet("/products-by-id/{custom_id}/product_events/", (HttpContext http, IEventLog log, IEntityNumbers numbers, string custom_id) =>
            UserComPaging.ListAsync(http, log, numbers, productId: PathIds.Decode(http, 4, custom_id), contact: null))
            .WithName("UserComListProductEventsOfProduct");
        read.MapGet("/users/{id}/product_events/", ListUserEventsByIdAsync).WithName("UserComListProductEventsOfUserById");
        read.MapGet("/users-by-id/{custom_id}/product_events/", (HttpContext http, IEventLog log, IEntityNumbers numbers, string custom_id) =>
            UserComPaging.ListAsync(http, log, numbers, productId: null, contact: ContactRef.User(PathIds.Decode(http, 4, custom_id))))
            .WithName("UserComListProductEventsOfUser");

        // Any other path under /api/public/: a 404 that says which routes there are (needs no key; it reads nothing).
        routes.Map("/api/public/{**path}", () => UserComRoutes.NotFound()).ExcludeFromDescription();
        return routes;
    }

    public static async Task<Results<Created<UserComCreatedResponse>, Ok<UserComCreatedResponse>, ValidationProblem, ProblemHttpResult>> PostProductEventByIdAsync(
        HttpContext http, IngestPipeline pipeline, IOptions<IngestOptions> options, TimeProvider clock, IEntityNumbers numbers, string id)
    {
        var app = AppKeyFilter.Current(http);
        var productId = await UserComRoutes.FindAsync(numbers, app.AppId, id, NumberedKey.ProductKind, http.RequestAborted);
        return productId is null
            ? UserComRoutes.ProductNotFound(id)
            : await CreateAsync(http, pipeline, options.Value, clock, numbers, productId);
    }

    public static Task<Results<Created<UserComCreatedResponse>, Ok<UserComCreatedResponse>, ValidationProblem, ProblemHttpResult>> PostProductEventAsync(
        HttpContext http, IngestPipeline pipeline, IOptions<IngestOptions> options, TimeProvider clock, IEntityNumbers numbers, string custom_id) =>
        CreateAsync(http, pipeline, options.Value, clock, numbers, PathIds.Decode(http, 4, custom_id));

    public static async Task<Results<Ok<UserComProduct>, ProblemHttpResult>> GetProductByIdAsync(
        HttpContext http, IGrainFactory grains, IngestPipeline pipeline, IEntityNumbers numbers, string id)
    {
        var app = AppKeyFilter.Current(http);
        var productId = await UserComRoutes.FindAsync(numbers, app.AppId, id, NumberedKey.ProductKind, http.RequestAborted);
        if (productId is null)
        {
            return UserComRoutes.ProductNotFound(id);
        }

        await pipeline.WhenAppliedAsync();
        var product = await grains.GetGrain<IProductGrain>(GrainKeys.Product(app.AppId, productId)).GetAsync();
        return product is null ? UserComRoutes.ProductNotFound(id) : TypedResults.Ok(UserComProduct.From(product, long.Parse(id, CultureInfo.InvariantCulture)));
    }

    public static async Task<Results<Ok<UserComProduct>, ProblemHttpResult>> GetProductAsync(
        HttpContext http, IGrainFactory grains, IngestPipeline pipeline, IEntityNumbers numbers, string custom_id)
    {
        var app = AppKeyFilter.Current(http);
        custom_id = PathIds.Decode(http, 4, custom_id);
        await pipeline.WhenAppliedAsync();
        var product = await grains.GetGrain<IProductGrain>(GrainKeys.Product(app.AppId, custom_id)).GetAsync();
        if (product is null)
        {
            return Problems.Status(StatusCodes.Status404NotFound, "Product not found", $"No event has created product '{custom_id}' in this app.");
        }

        var ids = await numbers.GetOrAssignAsync(app.AppId, [NumberedKey.Product(custom_id)], http.RequestAborted);
        return TypedResults.Ok(UserComProduct.From(product, ids[0]));
    }

    public static async Task<Results<Ok<UserComPage<UserComProductEvent>>, ValidationProblem, ProblemHttpResult>> ListProductEventsByIdAsync(
        HttpContext http, IEventLog log, IEntityNumbers numbers, string id)
    {
        var app = AppKeyFilter.Current(http);
        var productId = await UserComRoutes.FindAsync(numbers, app.AppId, id, NumberedKey.ProductKind, http.RequestAborted);
        return productId is null
            ? UserComRoutes.ProductNotFound(id)
            : await UserComPaging.ListAsync(http, log, numbers, productId, contact: null);
    }

    public static async Task<Results<Ok<UserComPage<UserComProductEvent>>, ValidationProblem, ProblemHttpResult>> ListUserEventsByIdAsync(
        HttpContext http, IEventLog log, IEntityNumbers numbers, string id)
    {
        var app = AppKeyFilter.Current(http);
        var contact = await UserComRoutes.FindContactAsync(numbers, app.AppId, id, http.RequestAborted);
        return contact is null
            ? UserComRoutes.UserNotFound(id)
            : await UserComPaging.ListAsync(http, log, numbers, productId: null, contact);
    }

    private static async Task<Results<Created<UserComCreatedResponse>, Ok<UserComCreatedResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        HttpContext http, IngestPipeline pipeline, IngestOptions options, TimeProvider clock, IEntityNumbers numbers, string productId)
    {
        var app = AppKeyFilter.Current(http);
        if (IngestSubmission.RefuseEarly(http, pipeline, app.AppId) is { } refused)
        {
            return refused;
        }

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

        ProductEventRecord? record;
        using (document)
        {
            var native = UserComEventTranslator.Translate(document.RootElement, productId, out var userNumber, out var translationErrors);
            if (native is null)
            {
                return Problems.Invalid(translationErrors!);
            }

            if (userNumber is { } given && await ResolveUserAsync(numbers, app.AppId, given.Field, given.Number, native, http.RequestAborted) is { } userError)
            {
                return Problems.Invalid(given.Field, userError);
            }

            record = ProductEventParser.Parse(JsonSerializer.SerializeToElement(native), app.AppId, clock.GetUtcNow(), out var errors);
            if (record is null)
            {
                IngestMetrics.Count(app.AppId, IngestOutcome.Rejected, 1);
                return Problems.Invalid(UserComEventTranslator.RenameErrors(errors!, document.RootElement));
            }
        }

        var (outcomes, failure) = await IngestSubmission.SubmitAsync(http, pipeline, options, [record]);
        if (failure is not null)
        {
            return failure;
        }

        var outcome = outcomes![0];
        if (outcome.IsRefused)
        {
            return Problems.Invalid("body", outcome.RefusedBecause!);
        }

        if (outcome.Number is not { } number)
        {
            return Problems.Status(StatusCodes.Status409Conflict, "Duplicate of an event without an integer id",
                $"event_id '{record.EventId}' was used by event {outcome.Id}, which the log no longer holds; nothing was stored.");
        }

        var body = new UserComCreatedResponse(number);
        return outcome.IsDuplicate ? TypedResults.Ok(body) : TypedResults.Created((string?)null, body);
    }

    /// <summary>
    /// Puts the contact that User.com's integer user id names into the native event; answers why it cannot. An unknown
    /// number is refused: it never creates a contact.
    /// </summary>
    private static async Task<string?> ResolveUserAsync(
        IEntityNumbers numbers, string appId, string field, long number, JsonObject native, CancellationToken cancellationToken)
    {
        if (await numbers.FindAsync(appId, number, cancellationToken) is not { IsContact: true } key)
        {
            return $"{number} is not the id of a contact of this app; a contact's id is the 'user' of its events in the listings "
                + "(or 'id' of GET /api/v1/contacts/{user_id}); send the shop's own id as user_custom_id";
        }

        var contact = key.ToContact();
        var nativeField = contact.IsAnonymous ? "user_key" : "user_id";
        if (native[nativeField] is { } other && !(other.GetValueKind() == JsonValueKind.String && other.GetValue<string>() == contact.Value))
        {
            return contact.IsAnonymous
                ? $"names the visitor '{contact.Value}', not user_key {other.ToJsonString()}; give one of them"
                : $"names contact '{contact.Value}', not {other.ToJsonString()}; give one of them";
        }

        native[nativeField] = contact.Value;
        return null;
    }
}
