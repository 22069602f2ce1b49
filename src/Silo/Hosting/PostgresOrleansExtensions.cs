using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;

namespace ProductEvents.Silo.Hosting;

/// <summary>Orleans ADO.NET providers on PostgreSQL: clustering, snapshot grain storage and reminders.</summary>
/// <remarks>
/// The database needs the schema of deploy/sql (<see cref="Migrations.SchemaMigrator"/>). Rows are keyed by
/// <c>ClusterOptions.ServiceId</c> (storage, reminders) and <c>ClusterId</c> (membership): the caller pins both, and
/// configures the endpoints (with ADO.NET clustering a silo advertises the address it is given).
/// </remarks>
public static class PostgresOrleansExtensions
{
    /// <summary>The ADO.NET invariant name of Npgsql.</summary>
    public const string Invariant = ClusterDefaults.AdoNetInvariant;

    public static ISiloBuilder UsePostgresOrleansProviders(this ISiloBuilder silo, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        silo.UseAdoNetClustering(options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
        });
        silo.AddAdoNetGrainStorage(StorageNames.Snapshots, (OptionsBuilder<AdoNetGrainStorageOptions> options) => options
            .Configure<Serializer>((o, serializer) =>
            {
                o.Invariant = Invariant;
                o.ConnectionString = connectionString;
                o.GrainStorageSerializer = new SnapshotSerializer(serializer);

                // A cleared state leaves no row: an erased contact's snapshot row would still name it in its key.
                o.DeleteStateOnClear = true;
            }));
        silo.UseAdoNetReminderService(options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
        });
        return silo;
    }

    /// <summary>For an Orleans client (a separate front door): finds the silos' gateways in the membership table.</summary>
    public static IClientBuilder UsePostgresClustering(this IClientBuilder client, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        return client.UseAdoNetClustering(options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
        });
    }
}
