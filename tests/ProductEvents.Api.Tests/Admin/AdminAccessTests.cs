using System.Net;
using ProductEvents.Api.Tests.Support;

namespace ProductEvents.Api.Tests.Admin;

/// <summary>Outside Development the admin API answers only the operator key. Each test starts a Production host.</summary>
public sealed class AdminAccessTests
{
    private const string OperatorKey = "operator-key-admin-7f21c0";
    private const string AppSecret = "configured-secret-key-4e1a";

    public static TheoryData<string, string> Endpoints => new()
    {
        { "GET", "/api/admin/apps" },
        { "POST", "/api/admin/apps" },
        { "GET", "/api/admin/apps/some-app/keys" },
        { "DELETE", "/api/admin/apps/some-app/keys/backend" },
        { "GET", "/api/admin/audit" },
    };

    [Fact]
    public async Task OutsideDevelopmentTheAdminApiNeedsTheOperatorKey()
    {
        await using var host = await StartAsync(OperatorKey);
        var appId = AdminCalls.NewAppId();

        foreach (var (method, path) in Endpoints.Select(row => ((string)row[0], (string)row[1])))
        {
            foreach (var presented in new[] { null, AppSecret, OperatorKey + "x" })
            {
                using var http = host.CreateClient(presented);
                using var refused = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{}") });
                Assert.True(refused.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} with key {presented}: {(int)refused.StatusCode}");
            }
        }

        using var operatorHttp = host.CreateClient(OperatorKey, "Bearer");
        var admin = new ApiClient(operatorHttp, key: null);
        await admin.CreateAppAsync(appId);
        var key = await admin.AddKeyAsync(appId, "backend", "secret");
        var client = new ApiClient(operatorHttp, key);
        Assert.Equal(HttpStatusCode.Accepted, await client.IngestStatusAsync());
        using (var appKeyAsOperator = await client.GetAsync("/api/admin/apps"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, appKeyAsOperator.StatusCode);
        }

        Assert.Equal(["key.add", "app.create"], (await admin.AuditAsync(appId)).Select(e => e.Action));
    }

    [Fact]
    public async Task OutsideDevelopmentWithoutAnOperatorKeyTheAdminApiIsNotFound()
    {
        await using var host = await StartAsync(operatorKey: null);
        using var http = host.CreateClient(AppSecret);

        foreach (var (method, path) in Endpoints.Select(row => ((string)row[0], (string)row[1])))
        {
            using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{}") });
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path}: {(int)response.StatusCode}");
        }
    }

    private static Task<TestHost> StartAsync(string? operatorKey) =>
        new TestHostBuilder()
            .WithEnvironment("Production")
            .WithApp("configured", AppSecret)
            .WithSetting("ProductEvents:Operator:Key", operatorKey)
            .StartAsync();
}
