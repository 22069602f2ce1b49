using Npgsql;
using ProductEvents.Api.Apps;

namespace ProductEvents.Silo.Maintenance;

public static class RetentionServiceExtensions
{
    /// <summary>The apps' retention periods, checked at start-up, and the worker that applies them.</summary>
    public static IServiceCollection AddRetention(this IServiceCollection services)
    {
        services.AddOptions<RetentionOptions>().BindValidated<RetentionOptions, RetentionOptionsValidator>(RetentionOptions.Section);
        services.AddSingleton<IValidateOptions<AppsOptions>, AppRetentionValidator>();
        services.AddSingleton(sp => new RetentionLeader(sp.GetService<NpgsqlDataSource>()));
        services.AddSingleton<RetentionWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<RetentionWorker>());
        return services;
    }
}
