using Microsoft.Extensions.DependencyInjection;
using ProductEvents.Abstractions.Options;

namespace ProductEvents.Grains.Webhooks;

public static class WebhookServiceExtensions
{
    /// <summary>The address policy shared by the registries (when a webhook is defined) and the delivery worker (when it is sent).</summary>
    public static IServiceCollection AddWebhookAddressPolicy(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(WebhookAddressPolicy)))
        {
            return services;
        }

        services.AddOptions<WebhookOptions>().BindValidated<WebhookOptions, WebhookOptionsValidator>(WebhookOptions.Section);
        services.AddSingleton<WebhookAddressPolicy>();
        return services;
    }
}
