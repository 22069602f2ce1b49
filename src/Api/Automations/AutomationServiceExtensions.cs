using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using ProductEvents.Abstractions.Automations;
using ProductEvents.Abstractions.Options;

namespace ProductEvents.Api.Automations;

public static class AutomationServiceExtensions
{
    /// <summary>
    /// The outbox, the run listing and the delivery worker: on PostgreSQL when the host has a data source (durable
    /// mode), in memory otherwise.
    /// </summary>
    public static IServiceCollection AddAutomationDelivery(this IServiceCollection services)
    {
        services.AddOptions<DeliveryOptions>().BindValidated<DeliveryOptions, DeliveryOptionsValidator>(DeliveryOptions.Section);
        services.AddHttpClient(DeliveryWorker.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton<DeliverySignal>();
        services.AddSingleton<InMemoryDeliveryOutbox>();
        services.AddSingleton<InMemoryAutomationRunStore>();
        services.AddSingleton<IDeliveryOutbox>(sp => sp.GetService<NpgsqlDataSource>() is { } db
            ? new PostgresDeliveryOutbox(db, sp.GetRequiredService<DeliverySignal>()) : sp.GetRequiredService<InMemoryDeliveryOutbox>());
        services.AddSingleton<IAutomationRunStore>(sp => sp.GetService<NpgsqlDataSource>() is { } db
            ? new PostgresAutomationRunStore(db) : sp.GetRequiredService<InMemoryAutomationRunStore>());
        services.AddHostedService<DeliveryWorker>();
        return services;
    }
}
