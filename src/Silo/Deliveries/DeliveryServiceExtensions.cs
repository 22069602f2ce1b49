using Microsoft.Extensions.DependencyInjection;
using ProductEvents.Grains.Webhooks;

namespace ProductEvents.Silo.Deliveries;

public static class DeliveryServiceExtensions
{
    /// <summary>The webhook delivery worker; the outbox it drains comes with the storage of the mode.</summary>
    public static IServiceCollection AddDeliveryWorker(this IServiceCollection services)
    {
        services.AddOptions<DeliveryOptions>().BindValidated<DeliveryOptions, DeliveryOptionsValidator>(DeliveryOptions.Section);
        services.AddWebhookAddressPolicy();
        services.AddSingleton<WebhookConnector>(sp => new WebhookConnector(sp.GetRequiredService<WebhookAddressPolicy>()));
        services.AddHttpClient(DeliveryWorker.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                // Every connection goes through the vetted connect; a proxy would connect on our behalf, unchecked.
                ConnectCallback = sp.GetRequiredService<WebhookConnector>().ConnectAsync,
                UseProxy = false,

                // A redirect is answered as a failure naming its status, not followed: the receiver's URL is the one defined.
                AllowAutoRedirect = false,
                MaxResponseHeadersLength = DeliveryLimits.MaxResponseHeadersKiB,
            });
        services.AddHostedService<DeliveryWorker>();
        return services;
    }
}
