using System.Net;
using Npgsql;
using ProductEvents.Api.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using ProductEvents.Silo.Apps;

namespace ProductEvents.Api.Tests.Admin;

/// <summary>Durable mode only: what the database holds, and keys made by the <c>apps</c> command beside a running silo.</summary>
[Collection(PostgresHostCollection.Name)]
public sealed class StoredKeysOnPostgresTests(PostgresHostFixture host)
{
    private string Database => host.Host.Postgres.ConnectionString;

    [Fact]
    public async Task TheDatabaseHoldsAKeysHashNeverItsText()
    {
        var appId = AdminCalls.NewAppId();
        await host.Anonymous.CreateAppAsync(appId);
        var key = await host.Anonymous.AddKeyAsync(appId, "backend", "secret");
        await host.Client(key).IngestAsync(Bodies.Event(Ids.Product(), Ids.User()));

        var rows = await RowsAsync(
            "SELECT k::text FROM app_keys k WHERE app_id = $1 UNION ALL SELECT a::text FROM audit_log a WHERE app_id = $1 UNION ALL SELECT p::text FROM apps p WHERE app_id = $1",
            appId);

        Assert.Equal(4, rows.Count);
        Assert.All(rows, row => Assert.DoesNotContain(key["pe_sk_".Length..], row, StringComparison.Ordinal));
        Assert.Contains(rows, row => row.Contains(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key))), StringComparison.Ordinal));
    }

    [Fact]
    public async Task AKeyMadeByTheAppsCommandWorksOnTheRunningSiloUntilTheCommandRevokesIt()
    {
        var appId = AdminCalls.NewAppId();
        var database = $"--ConnectionStrings:Postgres={Database}";
        Assert.Equal(AppsCommand.Succeeded, (await RunAsync("create", appId, database)).Code);
        var (code, output) = await RunAsync("keys", "add", appId, "backend", "--kind", "secret", database);
        Assert.Equal(AppsCommand.Succeeded, code);
        var client = host.Client(output.Trim());

        await client.WaitAcceptedAsync("the key made by the apps command to be taken by the silo");
        Assert.Equal(AppsCommand.Succeeded, (await RunAsync("keys", "revoke", appId, "backend", database)).Code);
        await client.WaitRefusedAsync("the key revoked by the apps command to be refused by the silo");

        var actor = $"cli:{Environment.UserName}";
        Assert.Equal([("key.revoke", actor, "backend"), ("key.add", actor, "backend"), ("app.create", actor, appId)], await host.Anonymous.AuditAsync(appId));
    }

    [Fact]
    public async Task ALastUseIsWrittenWhenTheSiloFlushesIt()
    {
        var appId = AdminCalls.NewAppId();
        await host.Anonymous.CreateAppAsync(appId);
        var key = await host.Anonymous.AddKeyAsync(appId, "backend", "secret");
        await host.Client(key).IngestAsync(Bodies.Event(Ids.Product(), Ids.User()));

        await host.App.Services.GetRequiredService<ProductEvents.Api.Apps.StoredAppKeys>().FlushUsesAsync();

        var listed = (await host.Anonymous.GetJsonAsync($"/api/admin/apps/{appId}/keys")).AsArray().Single()!;
        Assert.NotNull(listed["last_used_at"]);
    }

    private async Task<List<string>> RowsAsync(string sql, string appId)
    {
        await using var dataSource = NpgsqlDataSource.Create(Database);
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = appId });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    private static async Task<(int Code, string Output)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await AppsCommand.RunAsync(args, output, error);
        return (code, output.ToString());
    }
}
