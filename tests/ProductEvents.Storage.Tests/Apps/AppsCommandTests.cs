using ProductEvents.Silo.Apps;
using ProductEvents.Storage.Apps;
using ProductEvents.Testing;

namespace ProductEvents.Storage.Tests.Apps;

/// <summary>The <c>apps</c> command run as the silo runs it, against the throwaway PostgreSQL.</summary>
[Collection(PostgresFixture.Collection)]
public sealed class AppsCommandTests(PostgresFixture postgres)
{
    private readonly string _app = $"app-{Guid.NewGuid():N}";

    private string Database => $"--ConnectionStrings:Postgres={postgres.ConnectionString}";

    [Fact]
    public async Task CreateAddListAndRevokeAKeyPrintingItsTextOnceAndStoringItsHash()
    {
        var created = await RunAsync("create", _app, "--name", "Shop", "--origin=https://shop.example", Database);
        var added = await RunAsync("keys", "add", _app, "backend", "--kind", "secret", Database);
        var listed = await RunAsync("keys", "list", _app, Database);
        var apps = await RunAsync("list", Database);
        var revoked = await RunAsync("keys", "revoke", _app, "backend", Database);
        var listedAfter = await RunAsync("keys", "list", _app, Database);

        Assert.Equal(AppsCommand.Succeeded, created.Code);
        Assert.Equal(AppsCommand.Succeeded, added.Code);
        var key = added.Output.Trim();
        Assert.StartsWith(AppKeySecrets.SecretPrefix, key, StringComparison.Ordinal);
        Assert.Contains("only time", added.Error, StringComparison.Ordinal);
        var hash = await Sql.ScalarAsync<byte[]>(postgres.ConnectionString, "SELECT key_hash FROM app_keys WHERE app_id = @app", ("app", _app));
        Assert.Equal(AppKeySecrets.Hash(key), hash);
        Assert.StartsWith("backend\tsecret\tactive\t", listed.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(key, listed.Output, StringComparison.Ordinal);
        Assert.Contains($"{_app}\tShop\t", apps.Output, StringComparison.Ordinal);
        Assert.Contains("https://shop.example", apps.Output, StringComparison.Ordinal);
        Assert.Equal(AppsCommand.Succeeded, revoked.Code);
        Assert.StartsWith("backend\tsecret\trevoked ", listedAfter.Output, StringComparison.Ordinal);
        var actors = await Sql.RowsAsync(postgres.ConnectionString, "SELECT actor, action FROM audit_log WHERE app_id = @app ORDER BY id", ("app", _app));
        var user = Environment.UserName;
        Assert.Equal([$"cli:{user}|app.create", $"cli:{user}|key.add", $"cli:{user}|key.revoke"], actors);
    }

    [Fact]
    public async Task ARotationPrintsTheNewKeyAndTheOldOneWorksForTheGrace()
    {
        await RunAsync("create", _app, Database);
        var first = (await RunAsync("keys", "add", _app, "browser", "--kind=public", Database)).Output.Trim();

        var rotated = await RunAsync("keys", "rotate", _app, "browser", "--grace", "600", Database);

        Assert.Equal(AppsCommand.Succeeded, rotated.Code);
        var second = rotated.Output.Trim();
        Assert.StartsWith(AppKeySecrets.PublicPrefix, second, StringComparison.Ordinal);
        Assert.NotEqual(first, second);
        var listed = (await RunAsync("keys", "list", _app, Database)).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("browser\tpublic\tactive\t", listed[0], StringComparison.Ordinal);
        Assert.StartsWith("browser\tpublic\texpiring ", listed[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusalsSayWhyAndExitWithOne()
    {
        await RunAsync("create", _app, Database);
        await RunAsync("keys", "add", _app, "backend", "--kind", "secret", Database);

        var existing = await RunAsync("create", _app, Database);
        var taken = await RunAsync("keys", "add", _app, "backend", "--kind", "public", Database);
        var noApp = await RunAsync("keys", "add", _app + "-missing", "backend", "--kind", "public", Database);
        var noKey = await RunAsync("keys", "revoke", _app, "nothing", Database);

        Assert.Equal((AppsCommand.Failed, true), (existing.Code, existing.Error.Contains("exists already", StringComparison.Ordinal)));
        Assert.Equal((AppsCommand.Failed, true), (taken.Code, taken.Error.Contains("has a key named 'backend'", StringComparison.Ordinal)));
        Assert.Equal((AppsCommand.Failed, true), (noApp.Code, noApp.Error.Contains("no stored app", StringComparison.Ordinal)));
        Assert.Equal((AppsCommand.Failed, true), (noKey.Code, noKey.Error.Contains("no working key 'nothing'", StringComparison.Ordinal)));
        Assert.All([existing, taken, noApp, noKey], r => Assert.Equal("", r.Output));
    }

    [Theory]
    [InlineData("keys", "add", "shop", "backend")]
    [InlineData("keys", "add", "shop", "backend", "--kind", "admin")]
    [InlineData("keys", "add", "shop", "Back End", "--kind", "secret")]
    [InlineData("create", "shop/x")]
    [InlineData("delete", "shop")]
    [InlineData("keys", "add", "shop")]
    [InlineData("list", "--colour")]
    public async Task BadArgumentsPrintTheUsageAndExitWithThree(params string[] args)
    {
        var result = await RunAsync([.. args, Database]);

        Assert.Equal(AppsCommand.InvalidArguments, result.Code);
        Assert.Contains("usage: apps create", result.Error, StringComparison.Ordinal);
        Assert.Equal("", result.Output);
    }

    [Fact]
    public async Task WithoutAConnectionStringItExplainsAndExitsWithTwo()
    {
        var result = await RunAsync("list", "--ConnectionStrings:Postgres=");

        Assert.Equal(AppsCommand.NotConfigured, result.Code);
        Assert.Contains("ConnectionStrings:Postgres is not set", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnADatabaseWithoutTheMigrationsItSaysToRunMigrate()
    {
        var empty = await postgres.CreateEmptyDatabaseAsync("apps_command");

        var result = await RunAsync("list", $"--ConnectionStrings:Postgres={empty}");

        Assert.Equal(AppsCommand.NotConfigured, result.Code);
        Assert.Contains("V028", result.Error, StringComparison.Ordinal);
        Assert.Contains("migrate", result.Error, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await AppsCommand.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
