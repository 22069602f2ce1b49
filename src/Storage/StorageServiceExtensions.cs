using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ProductEvents.Abstractions.Options;
using ProductEvents.Storage.Apps;
using ProductEvents.Storage.Audit;
using ProductEvents.Storage.Automations;
using ProductEvents.Storage.Erasure;
using ProductEvents.Storage.EventLog;
using ProductEvents.Storage.Numbers;
using ProductEvents.Storage.Segments;

namespace ProductEvents.Storage;

/// <summary>One registration per mode: every store the silo and the API use, all in memory or all on PostgreSQL.</summary>
public static class StorageServiceExtensions
{
    /// <summary>
    /// The embedded default's log, segment memberships, window checks, automation runs, delivery outbox, integer ids,
    /// stored apps and keys, audit log and erasure records: in memory, capped, gone with the process.
    /// </summary>
    public static IServiceCollection AddInMemoryStorage(this IServiceCollection services)
    {
        services.AddStorageCommon();
        services.AddSingleton<InMemoryEventLog>();
        services.AddSingleton<IEventLog>(sp => sp.GetRequiredService<InMemoryEventLog>());
        services.AddSingleton<IContactLogData>(sp => sp.GetRequiredService<InMemoryEventLog>());
        services.AddSingleton<IEventLogRetention>(sp => sp.GetRequiredService<InMemoryEventLog>());
        services.AddSingleton<IErasureStore, InMemoryErasureStore>();
        services.AddSingleton<ISegmentMembershipStore, InMemorySegmentMembershipStore>();
        services.AddSingleton<IWindowCheckStore, InMemoryWindowCheckStore>();
        services.AddSingleton<IDeliveryOutbox, InMemoryDeliveryOutbox>();
        services.AddSingleton<IAutomationRunStore, InMemoryAutomationRunStore>();
        services.AddSingleton<IEntityNumbers, InMemoryEntityNumbers>();
        services.AddSingleton<IAuditLog, InMemoryAuditLog>();
        services.AddSingleton<IAppStore, InMemoryAppStore>();
        return services;
    }

    /// <summary>Durable mode's stores: PostgreSQL (the schema comes from the migrations).</summary>
    public static IServiceCollection AddPostgresStorage(this IServiceCollection services, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        services.AddStorageCommon();
        services.AddSingleton(_ => new NpgsqlDataSourceBuilder(PostgresConnections.Tune(connectionString)).Build());
        services.AddSingleton<PostgresEventLog>();
        services.AddSingleton<IEventLog>(sp => sp.GetRequiredService<PostgresEventLog>());
        services.AddHostedService<EventLogPartitionUpkeep>();
        services.AddSingleton<IContactLogData, PostgresContactLogData>();
        services.AddSingleton<IEventLogRetention, PostgresLogRetention>();
        services.AddSingleton<IErasureStore, PostgresErasureStore>();
        services.AddSingleton<ISegmentMembershipStore, PostgresSegmentMembershipStore>();
        services.AddSingleton<IWindowCheckStore, PostgresWindowCheckStore>();
        services.AddSingleton<IDeliveryOutbox, PostgresDeliveryOutbox>();
        services.AddSingleton<IAutomationRunStore, PostgresAutomationRunStore>();
        services.AddSingleton<IEntityNumbers, PostgresEntityNumbers>();
        services.AddSingleton<IAuditLog, PostgresAuditLog>();
        services.AddSingleton<IAppStore, PostgresAppStore>();
        return services;
    }

    private static void AddStorageCommon(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<EventLogOptions>().BindValidated<EventLogOptions, EventLogOptionsValidator>(EventLogOptions.Section);
        services.AddOptions<IngestOptions>().BindValidated<IngestOptions, IngestOptionsValidator>(IngestOptions.Section);
        services.AddOptions<QuotaOptions>().BindValidated<QuotaOptions, QuotaOptionsValidator>(QuotaOptions.Section);
        services.AddSingleton<DeliverySignal>();
        services.AddSingleton<ErasureSignal>();
        services.AddOptions<ErasureOptions>().BindValidated<ErasureOptions, ErasureOptionsValidator>(ErasureOptions.Section);
        services.AddSingleton<IEventLogReader>(sp => sp.GetRequiredService<IEventLog>());
        services.AddHealthChecks().AddCheck<EventLogHealthCheck>("event-log", tags: ["ready"]);
    }
}
