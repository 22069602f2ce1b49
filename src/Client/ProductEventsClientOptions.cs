namespace ProductEvents.Client;

/// <summary>
/// Which cluster to join: the PostgreSQL that holds its membership table, and its ids. By default read from the same
/// keys the silos read: <c>ConnectionStrings:Postgres</c>, <c>Orleans:ServiceId</c>, <c>Orleans:ClusterId</c>.
/// </summary>
public sealed class ProductEventsClientOptions
{
    /// <summary>The cluster's PostgreSQL; the client finds the silos' gateways in its membership table.</summary>
    public string? ConnectionString { get; set; }

    public string ServiceId { get; set; } = ClusterDefaults.ServiceId;

    public string ClusterId { get; set; } = ClusterDefaults.ClusterId;

    /// <summary>Every problem, each naming the key that sets it; empty when the options can be used.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            problems.Add($"ConnectionStrings:{ClusterDefaults.ConnectionStringName} is required: the client finds the silos in the cluster's PostgreSQL.");
        }

        if (string.IsNullOrWhiteSpace(ServiceId))
        {
            problems.Add($"{ClusterDefaults.Section}:ServiceId must not be empty.");
        }

        if (string.IsNullOrWhiteSpace(ClusterId))
        {
            problems.Add($"{ClusterDefaults.Section}:ClusterId must not be empty.");
        }

        return problems;
    }
}
