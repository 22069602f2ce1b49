using System.Data.Common;

namespace ProductEvents.Storage.EventLog;

/// <summary>Whether the log's PostgreSQL answers, probed at most once a second (an outage seen meanwhile counts).</summary>
internal sealed class PostgresLogReadiness(NpgsqlDataSource dataSource, PostgresLogOutage outage)
{
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    public async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        if (outage.Recent(ProbeInterval) is { } recent)
        {
            return recent;
        }

        bool ready;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ProbeTimeout);
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(timeout.Token);
            ready = true;
        }
        catch (Exception ex) when (ex is DbException or OperationCanceledException or TimeoutException)
        {
            ready = false;
        }

        outage.Remember(ready);
        return ready;
    }
}
