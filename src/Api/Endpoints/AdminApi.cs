using Microsoft.AspNetCore.Http.Features;
using ProductEvents.Api.Cors;
using ProductEvents.Api.Json;
using ProductEvents.Api.Operator;
using ProductEvents.Storage.Apps;
using ProductEvents.Storage.Audit;

namespace ProductEvents.Api.Endpoints;

/// <summary>
/// Stored apps and their keys, behind the operator key: create, list and change apps; add, list, rotate and revoke
/// keys. A new key's text is answered once and stored only as a hash. Apps of configuration are not managed here.
/// </summary>
public static class AdminApi
{
    public const int MaxBodyBytes = 16 * 1024;

    private const string Actor = AuditActors.Operator;

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/api/admin/apps").WithTags("Admin").RequireOperatorKey();
        admin.MapPost("/", CreateAppAsync).WithName("CreateApp")
            .WithSummary("Create a stored app").Accepts<AppRequest>(JsonBody.ContentType, JsonBody.AnyContentType);
        admin.MapGet("/", ListAppsAsync).WithName("ListApps").WithSummary("List the stored apps");
        admin.MapGet("/{app}", GetAppAsync).WithName("GetApp").WithSummary("Get a stored app");
        admin.MapPatch("/{app}", UpdateAppAsync).WithName("UpdateApp")
            .WithSummary("Change a stored app's name or allowed origins").Accepts<AppRequest>(JsonBody.ContentType, JsonBody.AnyContentType);
        admin.MapPost("/{app}/keys", AddKeyAsync).WithName("AddAppKey")
            .WithSummary("Add a key to a stored app; its text is answered this once").Accepts<AppKeyRequest>(JsonBody.ContentType, JsonBody.AnyContentType);
        admin.MapGet("/{app}/keys", ListKeysAsync).WithName("ListAppKeys").WithSummary("List an app's keys, without their text");
        admin.MapPost("/{app}/keys/{name}/rotate", RotateKeyAsync).WithName("RotateAppKey")
            .WithSummary("Replace a key by a new one of the same name; the old one works on for the grace given")
            .Accepts<AppKeyRotateRequest>(JsonBody.ContentType, JsonBody.AnyContentType);
        admin.MapDelete("/{app}/keys/{name}", RevokeKeyAsync).WithName("RevokeAppKey").WithSummary("Revoke every working key of that name");
        return routes;
    }

    public static async Task<Results<Created<AppResponse>, ValidationProblem, ProblemHttpResult>> CreateAppAsync(
        HttpContext http, IAppStore store, StoredAppKeys keys)
    {
        var (body, error) = await ReadAppAsync(http, create: true);
        if (error is not null)
        {
            return Refused(error);
        }

        var app = await store.CreateAppAsync(body!.Id!, body.Name ?? body.Id!, body.AllowedOrigins ?? [], Actor);
        if (app is null)
        {
            return Problems.Status(StatusCodes.Status409Conflict, "App exists", $"A stored app '{body.Id}' exists already.");
        }

        await keys.ApplyNowAsync();
        return TypedResults.Created($"/api/admin/apps/{app.Id}", AppResponse.From(app));
    }

    public static async Task<Ok<AppResponse[]>> ListAppsAsync(IAppStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok((await store.ListAppsAsync(cancellationToken)).Select(AppResponse.From).ToArray());

    public static async Task<Results<Ok<AppResponse>, ProblemHttpResult>> GetAppAsync(IAppStore store, string app, CancellationToken cancellationToken) =>
        await store.GetAppAsync(app, cancellationToken) is { } found ? TypedResults.Ok(AppResponse.From(found)) : AppNotFound(app);

    public static async Task<Results<Ok<AppResponse>, ValidationProblem, ProblemHttpResult>> UpdateAppAsync(
        HttpContext http, IAppStore store, StoredAppKeys keys, string app)
    {
        var (body, error) = await ReadAppAsync(http, create: false);
        if (error is not null)
        {
            return Refused(error);
        }

        if (await store.UpdateAppAsync(app, body!.Name, body.AllowedOrigins, Actor) is not { } updated)
        {
            return AppNotFound(app);
        }

        await keys.ApplyNowAsync();
        return TypedResults.Ok(AppResponse.From(updated));
    }

    public static async Task<Results<Created<NewAppKeyResponse>, ValidationProblem, ProblemHttpResult>> AddKeyAsync(
        HttpContext http, IAppStore store, StoredAppKeys keys, string app)
    {
        var (document, error) = await JsonBody.ReadAsync(http.Request, MaxBodyBytes, http.RequestAborted);
        if (document is null)
        {
            return Refused(error);
        }

        string? name = null;
        AppKeyKind kind = default;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Problems.Invalid("body", "must be a JSON object with name and kind");
            }

            if (!root.TryGetProperty("name", out var nameElement) || nameElement.ValueKind != JsonValueKind.String
                || !AppLimits.IsValidKeyName(name = nameElement.GetString()))
            {
                errors["name"] = [$"is required and {AppLimits.KeyNameRule}"];
            }

            if (!root.TryGetProperty("kind", out var kindElement) || kindElement.ValueKind != JsonValueKind.String
                || !AppKeyKinds.TryParse(kindElement.GetString(), out kind))
            {
                errors["kind"] = ["is required: 'secret' (the whole API, for servers) or 'public' (events and identify, for shop pages)"];
            }

            Unknown(root, errors, "name", "kind");
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var text = AppKeySecrets.Generate(kind);
        var result = await store.AddKeyAsync(app, name!, kind, AppKeySecrets.Hash(text), Actor);
        if (result.Key is not { } added)
        {
            return KeyRefused(result.Status, app, name!);
        }

        await keys.ApplyNowAsync();
        return TypedResults.Created($"/api/admin/apps/{app}/keys", NewAppKeyResponse.From(added, text));
    }

    public static async Task<Results<Ok<AppKeyResponse[]>, ProblemHttpResult>> ListKeysAsync(
        IAppStore store, TimeProvider clock, string app, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return await store.ListKeysAsync(app, cancellationToken) is { } found
            ? TypedResults.Ok(found.Select(k => AppKeyResponse.From(k, now)).ToArray())
            : AppNotFound(app);
    }

    public static async Task<Results<Ok<NewAppKeyResponse>, ValidationProblem, ProblemHttpResult>> RotateKeyAsync(
        HttpContext http, IAppStore store, StoredAppKeys keys, string app, string name)
    {
        var grace = TimeSpan.Zero;
        if (http.Features.Get<IHttpRequestBodyDetectionFeature>() is not { CanHaveBody: false } && http.Request.ContentLength is not 0)
        {
            var (document, error) = await JsonBody.ReadAsync(http.Request, MaxBodyBytes, http.RequestAborted);
            if (document is null)
            {
                return Refused(error);
            }

            using (document)
            {
                var root = document.RootElement;
                var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
                if (root.ValueKind != JsonValueKind.Object)
                {
                    return Problems.Invalid("body", "must be a JSON object, {\"grace_seconds\": n}, or empty");
                }

                if (root.TryGetProperty("grace_seconds", out var seconds))
                {
                    if (seconds.ValueKind == JsonValueKind.Number && seconds.TryGetInt32(out var value)
                        && value >= 0 && value <= AppLimits.MaxRotationGrace.TotalSeconds)
                    {
                        grace = TimeSpan.FromSeconds(value);
                    }
                    else
                    {
                        errors["grace_seconds"] = [$"must be a whole number of seconds from 0 to {AppLimits.MaxRotationGrace.TotalSeconds:0} (7 days)"];
                    }
                }

                Unknown(root, errors, "grace_seconds");
                if (errors.Count > 0)
                {
                    return Problems.Invalid(errors);
                }
            }
        }

        string? text = null;
        var result = await store.RotateKeyAsync(app, name, kind => AppKeySecrets.Hash(text = AppKeySecrets.Generate(kind)), grace, Actor);
        if (result.Key is not { } added)
        {
            return KeyRefused(result.Status, app, name);
        }

        await keys.ApplyNowAsync();
        return TypedResults.Ok(NewAppKeyResponse.From(added, text!));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeKeyAsync(HttpContext http, IAppStore store, StoredAppKeys keys, string app, string name)
    {
        var result = await store.RevokeKeyAsync(app, name, Actor);
        if (result.Status != KeyWriteStatus.Done)
        {
            return KeyRefused(result.Status, app, name);
        }

        await keys.ApplyNowAsync();
        return TypedResults.NoContent();
    }

    private static async Task<(AppBody? Body, IResult? Error)> ReadAppAsync(HttpContext http, bool create)
    {
        var (document, error) = await JsonBody.ReadAsync(http.Request, MaxBodyBytes, http.RequestAborted);
        if (document is null)
        {
            return (null, error);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, Problems.Invalid("body", create ? "must be a JSON object with id, and optionally name and allowed_origins" : "must be a JSON object with name or allowed_origins"));
            }

            var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
            string? id = null;
            if (create && (!root.TryGetProperty("id", out var idElement) || idElement.ValueKind != JsonValueKind.String || !AppLimits.IsValidAppId(id = idElement.GetString())))
            {
                errors["id"] = [$"is required and {AppLimits.AppIdRule}"];
            }

            string? name = null;
            if (root.TryGetProperty("name", out var nameElement)
                && (nameElement.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(name = nameElement.GetString()) || name.Length > AppLimits.MaxAppNameLength))
            {
                errors["name"] = [$"must be a string of 1 to {AppLimits.MaxAppNameLength} characters"];
            }

            List<string>? origins = null;
            if (root.TryGetProperty("allowed_origins", out var originsElement))
            {
                origins = ReadOrigins(originsElement, errors);
            }

            Unknown(root, errors, create ? ["id", "name", "allowed_origins"] : ["name", "allowed_origins"]);
            return errors.Count > 0 ? (null, Problems.Invalid(errors)) : (new AppBody(id, name, origins), null);
        }
    }

    private static List<string>? ReadOrigins(JsonElement element, Dictionary<string, string[]> errors)
    {
        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() > AppLimits.MaxAllowedOrigins)
        {
            errors["allowed_origins"] = [$"must be an array of at most {AppLimits.MaxAllowedOrigins} origins"];
            return null;
        }

        var origins = new List<string>();
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || item.GetString() is not { } origin || !AppOrigins.IsValid(origin))
            {
                errors[$"allowed_origins[{index}]"] = ["must be '*' or an origin such as 'https://shop.example' (scheme, host, optional port; no path)"];
            }
            else
            {
                origins.Add(AppOrigins.Normalize(origin));
            }

            index++;
        }

        return origins;
    }

    private static void Unknown(JsonElement root, Dictionary<string, string[]> errors, params string[] known)
    {
        foreach (var property in root.EnumerateObject().Where(p => !known.Contains(p.Name, StringComparer.Ordinal)))
        {
            errors[property.Name] = [$"is not a field here ({string.Join(", ", known)})"];
        }
    }

    private static ValidationProblem Refused(IResult? error) =>
        error as ValidationProblem ?? Problems.Invalid("body", $"must be a JSON object of at most {MaxBodyBytes} bytes");

    private static ProblemHttpResult KeyRefused(KeyWriteStatus status, string app, string name) => status switch
    {
        KeyWriteStatus.AppNotFound => AppNotFound(app),
        KeyWriteStatus.KeyNotFound => Problems.Status(StatusCodes.Status404NotFound, "Key not found", $"No working key '{name}' in app '{app}'."),
        KeyWriteStatus.NameTaken => Problems.Status(StatusCodes.Status409Conflict, "Key name taken",
            $"App '{app}' has a key named '{name}' already; rotate it, revoke it, or choose another name."),
        _ => Problems.Status(StatusCodes.Status409Conflict, "Too many keys",
            $"App '{app}' has {AppLimits.MaxLiveKeysPerApp} keys that are not revoked, the most it may have; revoke one first."),
    };

    private static ProblemHttpResult AppNotFound(string app) =>
        Problems.Status(StatusCodes.Status404NotFound, "App not found",
            $"No stored app '{app}'. Apps of configuration (ProductEvents:Apps) keep their keys in configuration.");

    private sealed record AppBody(string? Id, string? Name, List<string>? AllowedOrigins);
}
