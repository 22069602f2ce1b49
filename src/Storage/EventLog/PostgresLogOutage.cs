namespace ProductEvents.Storage.EventLog;

/// <summary>
/// The one translation of the log's PostgreSQL failures. A refused value (SQLSTATE class 22 or 23, see
/// <see cref="StorageErrors"/>) is the statement's, not the server's: it surfaces as <see cref="EventLogDataException"/>
/// and leaves readiness as it is. Anything else from the connection is an outage: <see cref="EventLogUnavailableException"/>,
/// and readiness reads false until the next probe.
/// </summary>
internal sealed class PostgresLogOutage(TimeProvider clock)
{
    public const string Commit = "commit";
    public const string Read = "be read";
    public const string RecordAlias = "record the alias";
    public const string CreatePartitions = "create the partitions";
    public const string TakeOver = "hand the log's writing over";

    private (DateTimeOffset CheckedAt, bool Ready) _readiness;

    /// <summary>The last outcome of a probe or an outage, while it is younger than <paramref name="maxAge"/>.</summary>
    public bool? Recent(TimeSpan maxAge) => clock.GetUtcNow() - _readiness.CheckedAt < maxAge ? _readiness.Ready : null;

    public void Remember(bool ready) => _readiness = (clock.GetUtcNow(), ready);

    /// <param name="failure">What could not be done, as in "The event log's PostgreSQL could not {failure}."</param>
    public async Task<T> RunAsync<T>(string failure, Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception ex) when (IsStorageFailure(ex))
        {
            throw Translate(ex, failure);
        }
    }

    /// <inheritdoc cref="RunAsync{T}(string, Func{Task{T}})"/>
    public async Task RunAsync(string failure, Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception ex) when (IsStorageFailure(ex))
        {
            throw Translate(ex, failure);
        }
    }

    private static bool IsStorageFailure(Exception ex) => ex is NpgsqlException or TimeoutException or IOException;

    private Exception Translate(Exception ex, string failure)
    {
        if (StorageErrors.IsDataError(ex))
        {
            return new EventLogDataException($"PostgreSQL refused a value ({failure}): {ex.Message}", ex);
        }

        Remember(false);
        return new EventLogUnavailableException($"The event log's PostgreSQL could not {failure}.", ex);
    }
}
