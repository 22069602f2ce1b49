using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;

namespace ProductEvents.Client;

public static class ProductEventsClientExtensions
{
    /// <summary>
    /// Joins the ProductEvents cluster as an Orleans client: ADO.NET clustering on the cluster's PostgreSQL, its service
    /// and cluster ids, and a <see cref="ProductEventsReader"/> to read with. The options start from the configuration
    /// keys the silos read (<c>ConnectionStrings:Postgres</c>, <c>Orleans:ServiceId</c>, <c>Orleans:ClusterId</c>);
    /// <paramref name="configure"/> may change them. Wrong options stop the start with a message naming the key.
    /// </summary>
    public static IHostApplicationBuilder AddProductEventsClient(this IHostApplicationBuilder builder, Action<ProductEventsClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);

        var options = new ProductEventsClientOptions
        {
            ConnectionString = builder.Configuration.GetConnectionString(ClusterDefaults.ConnectionStringName),
        };
        var section = builder.Configuration.GetSection(ClusterDefaults.Section);
        options.ServiceId = section[nameof(options.ServiceId)] ?? options.ServiceId;
        options.ClusterId = section[nameof(options.ClusterId)] ?? options.ClusterId;
        configure?.Invoke(options);
        if (options.Problems() is { Count: > 0 } problems)
        {
            throw new OptionsValidationException(nameof(ProductEventsClientOptions), typeof(ProductEventsClientOptions), problems);
        }

        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o => (o.ServiceId, o.ClusterId) = (options.ServiceId, options.ClusterId));
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = ClusterDefaults.AdoNetInvariant;
                o.ConnectionString = options.ConnectionString;
            });
        });
        builder.Services.AddSingleton(Options.Create(options));
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ProductEventsReader>();
        return builder;
    }
}
