namespace ProductEvents.Abstractions;

/// <summary>
/// The cluster's identity: the defaults and the configuration keys that silos, front doors and in-cluster clients read
/// it from, so all of them join the same cluster with the same settings.
/// </summary>
public static class ClusterDefaults
{
    /// <summary>The configuration section of <c>ServiceId</c> and <c>ClusterId</c> (and, on a silo, its ports).</summary>
    public const string Section = "Orleans";

    /// <summary>Keys every stored Orleans row (grain state, reminders): never changed for a deployment that has data.</summary>
    public const string ServiceId = "product-events";

    public const string ClusterId = "product-events";

    /// <summary>The name under <c>ConnectionStrings</c> of the PostgreSQL that holds the log and the membership table.</summary>
    public const string ConnectionStringName = "Postgres";

    /// <summary>The ADO.NET invariant name of Npgsql, which Orleans' ADO.NET providers are told to use.</summary>
    public const string AdoNetInvariant = "Npgsql";
}
