using Npgsql;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using ProductEvents.Abstractions;

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
    public const string Invariant = "Npgsql";

    public static ISiloBuilder UsePostgresOrleansProviders(this ISiloBuilder silo, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        silo.UseAdoNetClustering(options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
        });
        silo.AddAdoNetGrainStorage(StorageNames.Snapshots, (OptionsBuilder<AdoNetGrainStorageOptions> options) => options
            .Configure<Serializer, IGrainStorageSerializer>((o, serializer, json) =>
            {
                o.Invariant = Invariant;
                o.ConnectionString = connectionString;
                o.GrainStorageSerializer = new SnapshotSerializer(serializer, json);
            }));
        silo.UseAdoNetReminderService(options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = WithoutWaitingForFlush(connectionString);
        });
        return silo;
    }

    /// <summary>
    /// Reminders are the safety net under the window timers of active contacts, written at the rate contacts enter
    /// windows (thousands a second under load): waiting for each of those commits to reach the disk made every other
    /// commit of the database (the log's included) queue behind them. A crash of PostgreSQL can lose the reminder
    /// writes of its last fraction of a second; such a loss only delays a window check until the contact's next
    /// evaluation (the contact's timer still fires while it is active), and a campaign's start until the next
    /// <see cref="WakeUpSweep"/>. Its own pool also keeps reminders from taking
    /// the connections of grain storage.
    /// </summary>
    private static string WithoutWaitingForFlush(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        builder.Options = string.IsNullOrWhiteSpace(builder.Options) ? "-c synchronous_commit=off" : $"{builder.Options} -c synchronous_commit=off";
        return builder.ConnectionString;
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
