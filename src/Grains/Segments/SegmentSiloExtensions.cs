using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Streams;
using ProductEvents.Abstractions.Options;
using ProductEvents.Grains.Contacts;
using ProductEvents.Grains.Products;

namespace ProductEvents.Grains.Segments;

public static class SegmentSiloExtensions
{
    /// <summary>
    /// What segments need in a silo besides a membership store and a window check store: the definition cache, what a
    /// contact grain works with (<see cref="ContactServices"/>), the window check scheduler, and the in-memory streams
    /// that carry membership changes. Whatever a crash loses on those streams is re-derived from the log, so they need
    /// no durable queue.
    /// </summary>
    public static ISiloBuilder AddSegments(this ISiloBuilder silo)
    {
        silo.Services.TryAddSingleton(TimeProvider.System);
        silo.Services.AddSingleton<SegmentDefinitionCache>();
        silo.Services.AddSingleton<ProductSnapshotCache>();
        silo.Services.AddSingleton<MembershipStreams>();
        silo.Services.AddSingleton<ContactServices>();
        silo.Services.AddOptions<WindowCheckSchedulerOptions>().BindValidated<WindowCheckSchedulerOptions, WindowCheckSchedulerOptionsValidator>(WindowCheckSchedulerOptions.Section);
        silo.Services.AddHostedService<WindowCheckScheduler>();
        silo.AddMemoryGrainStorage(StreamNames.PubSubStore);
        silo.AddMemoryStreams(StreamNames.Provider, streams =>
        {
            streams.ConfigurePullingAgent(agent => agent.Configure(o => o.GetQueueMsgsTimerPeriod = TimeSpan.FromMilliseconds(10)));

            // Delivered changes are never read again (implicit subscriptions do not rewind): keeping them for the
            // default 5 to 30 minutes only gives the garbage collector more to carry.
            streams.ConfigureCacheEviction(eviction => eviction.Configure(o =>
            {
                o.DataMinTimeInCache = TimeSpan.Zero;
                o.DataMaxAgeInCache = TimeSpan.FromSeconds(30);
            }));
        });

        // Registered after the memory streams' own factory, under the same key: the one the stream provider resolves.
        silo.Services.AddKeyedSingleton<IQueueAdapterFactory>(
            StreamNames.Provider, (services, key) => MembershipQueueAdapterFactory.Create(services, (string)key!));
        return silo;
    }
}
