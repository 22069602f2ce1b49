using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ProductEvents.Abstractions.Options;
using ProductEvents.Abstractions.Segments;
using ProductEvents.Api.Automations;
using ProductEvents.Api.Endpoints;
using ProductEvents.Api.Kestrel;
using ProductEvents.Api.Operator;
using ProductEvents.Api.Json;
using ProductEvents.Api.WebConsole;
using ProductEvents.Storage.Segments;
using Scalar.AspNetCore;

namespace ProductEvents.Api;

public static class ProductEventsApiExtensions
{
    /// <summary>The API's services: auth, ingest pipeline, JSON shape, OpenAPI, health. The stores are added apart (ProductEvents.Storage).</summary>
    public static IServiceCollection AddProductEventsApi(this IServiceCollection services)
    {
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section)
            .Validate(o => ApiOptions.IsValidPublicBaseUrl(o.PublicBaseUrl), ApiOptions.InvalidPublicBaseUrl).ValidateOnStart();
        services.AddOptions<AppsOptions>().BindConfiguration(AppsOptions.Section).ValidateOnStart();
        services.AddKestrelProtocolErrors();
        services.AddSingleton<IValidateOptions<AppsOptions>, AppsOptionsValidator>();
        services.AddOptions<OperatorOptions>().BindValidated<OperatorOptions, OperatorOptionsValidator>(OperatorOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<AppKeyRegistry>();
        services.AddSingleton<StoredAppKeys>();
        services.AddHostedService<StoredAppKeysService>();
        services.AddSingleton<IngestPipeline>();
        services.AddHostedService(sp => sp.GetRequiredService<IngestPipeline>());
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.Converters.Add(new AttributeValueJsonConverter());
            o.SerializerOptions.Converters.Add(new UtcDateTimeOffsetJsonConverter());
        });
        services.AddProblemDetails();
        services.AddExceptionHandler<EventLogUnavailableHandler>();
        services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = ApiIntroduction.Title;
            document.Info.Description = ApiIntroduction.Markdown;
            return Task.CompletedTask;
        }));
        services.AddHealthChecks().AddCheck<LogWriterHealthCheck>("log-writer", tags: ["ready"]);
        services.AddProductEventsClients();
        return services;
    }

    /// <summary>Every endpoint: health, OpenAPI document and reference page, and the API resources.</summary>
    public static WebApplication MapProductEvents(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestTextMiddleware>();
        app.UseMiddleware<OperatorKeyMiddleware>();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        app.MapOpenApi();
        app.MapScalarApiReference("/docs", options => options.WithTitle(ApiIntroduction.Title));
        app.MapGet("/", (HttpContext http) => TypedResults.Redirect(http.Request.PathBase + "/docs")).ExcludeFromDescription();
        app.MapProductEventsApi();
        app.MapProductsApi();
        app.MapContactsApi();
        app.MapContactPrivacyApi();
        app.MapEventTypesApi();
        app.MapSegmentsApi();
        app.MapAnalyticsApi();
        app.MapAutomationsApi().MapDeliveriesApi().MapCampaignsApi();
        app.MapAdminApi().MapAuditApi();
        app.MapConsole();

        app.MapProductEventsClients();
        return app;
    }
}
