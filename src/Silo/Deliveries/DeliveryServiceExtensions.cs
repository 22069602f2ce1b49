using Microsoft.Extensions.DependencyInjection;
using ProductEvents.Abstractions.Options;

namespace ProductEvents.Silo.Deliveries;

public static class DeliveryServiceExtensions
{
    /// <summary>The webhook delivery worker; the outbox it drains comes with the storage of the mode.</summary>
    public static IServiceCollection AddDeliveryWorker(this IServiceCollection services)
    {
        services.AddOptions<DeliveryOptions>().BindValidated<DeliveryOptions, DeliveryOptionsValidator>(DeliveryOptions.Section);
        services.AddHttpClient(DeliveryWorker.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan);
        services.AddHostedService<DeliveryWorker>();
        return services;
    }
}
