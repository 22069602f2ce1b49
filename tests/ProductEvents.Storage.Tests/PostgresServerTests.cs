using ProductEvents.Testing;

namespace ProductEvents.Storage.Tests;

public sealed class PostgresServerTests
{
    [Fact]
    public async Task CommittedRowsSurviveACrashAndACleanRestartOnTheSamePort()
    {
        await using var server = await PostgresServer.StartNewAsync();
        var connectionString = await server.CreateDatabaseAsync("survives");
        await Sql.ExecuteAsync(connectionString, "CREATE TABLE t (id integer PRIMARY KEY); INSERT INTO t VALUES (1), (2);");
        var port = server.Port;

        await server.KillAsync();
        Assert.False(server.IsRunning);
        await Assert.ThrowsAnyAsync<Npgsql.NpgsqlException>(() => Sql.ScalarAsync<long>(connectionString, "SELECT count(*) FROM t"));
        await server.StartAsync();
        await Sql.ExecuteAsync(connectionString, "INSERT INTO t VALUES (3)");
        await server.RestartAsync();

        Assert.Equal(port, server.Port);
        Assert.Equal(3L, await Sql.ScalarAsync<long>(connectionString, "SELECT count(*) FROM t"));
    }

    [Fact]
    public async Task DisposingStopsTheServerAndDeletesItsFolder()
    {
        var server = await PostgresServer.StartNewAsync();
        var root = server.RootDirectory;
        var connectionString = server.ConnectionString();

        await server.DisposeAsync();

        Assert.False(Directory.Exists(root));
        await Assert.ThrowsAnyAsync<Npgsql.NpgsqlException>(() => Sql.ScalarAsync<int>(connectionString, "SELECT 1"));
    }

    [Fact]
    public void MissingBinariesFailLoudly()
    {
        var error = Assert.Throws<InvalidOperationException>(() => PostgresServer.Create("/nonexistent/postgresql/bin"));

        Assert.Contains("PostgreSQL binaries not found", error.Message, StringComparison.Ordinal);
        Assert.Contains("/nonexistent/postgresql/bin/initdb", error.Message, StringComparison.Ordinal);
    }
}
