using Microsoft.Extensions.DependencyInjection;
using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using ProductEvents.Silo.Hosting;
using ProductEvents.Testing;

namespace ProductEvents.Storage.Tests;

/// <summary>
/// A real silo on its own throwaway PostgreSQL: ADO.NET clustering, grain storage and reminders through
/// <see cref="PostgresOrleansExtensions.UsePostgresOrleansProviders"/>.
/// </summary>
public sealed class OrleansSiloFixture : IAsyncLifetime
{
    public const string Collection = "Orleans on PostgreSQL";
    public const string ServiceId = "storage-tests";
    public const string ClusterId = "storage-tests-cluster";
    public const string SessionTimeZone = "Pacific/Chatham";

    private IHost? host;

    public PostgresFixture Postgres { get; } = new();

    public int SiloPort { get; } = FreePorts.Next();

    public int GatewayPort { get; } = FreePorts.Next();

    public IHost Host => host ?? throw new InvalidOperationException("The silo has not started.");

    public IGrainFactory Grains => Host.Services.GetRequiredService<IGrainFactory>();

    public async Task InitializeAsync()
    {
        await Postgres.InitializeAsync();

        // Far from UTC, so a time the providers sent or read without its zone would be hours off and tests would see it.
        await Sql.ExecuteAsync(Postgres.ConnectionString, $"ALTER DATABASE {PostgresFixture.DatabaseName} SET timezone TO '{SessionTimeZone}'");
        Npgsql.NpgsqlConnection.ClearAllPools();

        host = await StartSiloAsync(SiloPort, GatewayPort);
    }

    /// <summary>Starts another silo of the same cluster on the given ports.</summary>
    public async Task<IHost> StartSiloAsync(int siloPort, int gatewayPort)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(options =>
            {
                options.ServiceId = ServiceId;
                options.ClusterId = ClusterId;
            });
            silo.ConfigureEndpoints(IPAddress.Loopback, siloPort, gatewayPort);
            silo.UsePostgresOrleansProviders(Postgres.ConnectionString);

            // Orleans arms a registered reminder locally at once but reconciles its reminders with the table only every
            // RefreshReminderListPeriod (5 minutes by default). A reminder registered while the reminder service is
            // still taking its ring range (right after this silo or a second one starts or stops) can miss the local
            // arming and then waits for that read: here the read comes every 2 s, so it also proves the table's range
            // query arms reminders.
            silo.Configure<ReminderOptions>(options => options.RefreshReminderListPeriod = TimeSpan.FromSeconds(2));
        });
        var siloHost = builder.Build();
        await siloHost.StartAsync();
        return siloHost;
    }

    /// <summary>Starts an Orleans client that finds the silo through the membership table.</summary>
    public async Task<IHost> StartClientAsync()
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(options =>
            {
                options.ServiceId = ServiceId;
                options.ClusterId = ClusterId;
            });
            client.UsePostgresClustering(Postgres.ConnectionString);
        });
        var client = builder.Build();
        await client.StartAsync();
        return client;
    }

    public async Task DisposeAsync()
    {
        if (host is not null)
        {
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await host.StopAsync(stopping.Token);
            host.Dispose();
        }

        await Postgres.DisposeAsync();
    }
}
