using ProductEvents.Silo.Migrations;
using ProductEvents.Testing;

namespace ProductEvents.Storage.Tests;

[Collection(PostgresFixture.Collection)]
public sealed class MigrateCommandTests(PostgresFixture postgres)
{
    [Fact]
    public async Task MigrateAppliesTheSchemaThenReportsUpToDate()
    {
        var connectionString = await postgres.CreateEmptyDatabaseAsync("command");
        string[] args = [$"--ConnectionStrings:Postgres={connectionString}"];

        var (firstCode, firstOutput, _) = await RunAsync(args);
        var (secondCode, secondOutput, _) = await RunAsync(args);

        Assert.Equal(MigrateCommand.Succeeded, firstCode);
        Assert.Contains("applied V001__event_log", firstOutput, StringComparison.Ordinal);
        Assert.Contains("applied V002__orleans", firstOutput, StringComparison.Ordinal);
        Assert.Equal(MigrateCommand.Succeeded, secondCode);
        Assert.DoesNotContain("applied V", secondOutput, StringComparison.Ordinal);
        Assert.Contains("up to date", secondOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MigrateWithoutConnectionStringExplainsAndExitsWithTwo()
    {
        var (code, output, error) = await RunAsync(["--ConnectionStrings:Postgres="]);

        Assert.Equal(MigrateCommand.NotConfigured, code);
        Assert.Equal("", output);
        Assert.Contains("ConnectionStrings:Postgres is not set", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MigrateAgainstAnUnreachableServerFailsWithOne()
    {
        var (code, _, error) = await RunAsync(["--ConnectionStrings:Postgres=Host=127.0.0.1;Port=1;Username=postgres;Timeout=2"]);

        Assert.Equal(MigrateCommand.Failed, code);
        Assert.StartsWith("migrate: failed:", error, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await MigrateCommand.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
