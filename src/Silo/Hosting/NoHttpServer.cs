using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace ProductEvents.Silo.Hosting;

/// <summary>Stands in for Kestrel in a silo without HTTP: the host starts as usual and listens on nothing.</summary>
public sealed class NoHttpServer : IServer
{
    public IFeatureCollection Features { get; } = NoAddresses();

    /// <summary>Listens nowhere: the addresses the host was configured with are dropped, so none is reported either.</summary>
    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull
    {
        Features.Get<IServerAddressesFeature>()!.Addresses.Clear();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
    }

    private static FeatureCollection NoAddresses()
    {
        var features = new FeatureCollection();
        features.Set<IServerAddressesFeature>(new ServerAddressesFeature());
        return features;
    }
}
