using System.Net;
using Npgsql;

namespace ProductEvents.SystemTests.Cluster;

/// <summary>Which silo writes the log now: <c>log_writer.holder</c> holds its Orleans silo address.</summary>
public static class LogWriterHolder
{
    public static async Task<string> ReadAsync(string connectionString)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand("SELECT holder FROM log_writer WHERE id = 1");
        return (string?)await command.ExecuteScalarAsync() ?? "";
    }

    /// <summary>Whether <paramref name="holder"/> is the silo advertising <paramref name="address"/> and <paramref name="siloPort"/>.</summary>
    /// <remarks>A silo address prints as <c>S{address}:{port}:{generation}</c>, or <c>{address}:{port}@{generation}</c> in its parsable form.</remarks>
    public static bool Is(string holder, IPAddress address, int siloPort) =>
        holder.Contains($"{address}:{siloPort}:", StringComparison.Ordinal) || holder.Contains($"{address}:{siloPort}@", StringComparison.Ordinal);
}
