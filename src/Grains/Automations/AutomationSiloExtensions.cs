using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ProductEvents.Abstractions.Options;
using ProductEvents.Grains.Webhooks;

namespace ProductEvents.Grains.Automations;

public static class AutomationSiloExtensions
{
    /// <summary>What automations need in a silo besides the outbox and run store: the definition cache, the run scheduler and the webhook address policy.</summary>
    public static ISiloBuilder AddAutomations(this ISiloBuilder silo)
    {
        silo.Services.TryAddSingleton(TimeProvider.System);
        silo.Services.AddSingleton<AutomationDefinitionCache>();
        silo.Services.AddWebhookAddressPolicy();
        silo.Services.AddOptions<RunSchedulerOptions>().BindValidated<RunSchedulerOptions, RunSchedulerOptionsValidator>(RunSchedulerOptions.Section);
        silo.Services.AddHostedService<RunScheduler>();
        return silo;
    }
}
