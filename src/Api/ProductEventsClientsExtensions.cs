using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ProductEvents.Abstractions.Options;
using ProductEvents.Api.Cors;
using ProductEvents.Api.Demo;
using ProductEvents.Api.Endpoints;
using ProductEvents.Api.Sdk;

namespace ProductEvents.Api;

/// <summary>What browsers and User.com-style clients use: per-app CORS, the SDK, identify, the User.com layer, the demo shop.</summary>
public static class ProductEventsClientsExtensions
{
    public static IServiceCollection AddProductEventsClients(this IServiceCollection services)
    {
        services.AddSingleton<IValidateOptions<AppsOptions>, AppOriginsValidator>();
        services.AddSingleton<AppOrigins>();
        services.AddOptions<DemoOptions>().BindValidated<DemoOptions, DemoOptionsValidator>(DemoOptions.Section);
        return services;
    }

    /// <summary>The CORS check runs before any endpoint; the demo shop exists only in Development.</summary>
    public static WebApplication MapProductEventsClients(this WebApplication app)
    {
        app.UseMiddleware<AppCorsMiddleware>();
        app.MapSdk();
        app.MapIdentifyApi();
        app.MapUserComApi();
        if (app.Environment.IsDevelopment())
        {
            app.MapDemoShop();
        }

        return app;
    }
}
