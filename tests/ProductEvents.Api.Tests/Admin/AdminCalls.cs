using System.Net;
using System.Text.Json.Nodes;
using ProductEvents.Api.Tests.Support;

namespace ProductEvents.Api.Tests.Admin;

/// <summary>Admin API requests the tests repeat; each asserts its success status.</summary>
public static class AdminCalls
{
    /// <summary>A change reaches every silo within the poll interval (1 s) and a reload; the deadline leaves room for a busy machine.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    /// <summary>An app id no other test uses.</summary>
    public static string NewAppId() => $"app-{Guid.NewGuid():N}";

    public static async Task<JsonNode> CreateAppAsync(this ApiClient admin, string appId, params string[] allowedOrigins)
    {
        var body = new JsonObject { ["id"] = appId, ["name"] = $"Shop {appId}" };
        if (allowedOrigins.Length > 0)
        {
            body["allowed_origins"] = new JsonArray([.. allowedOrigins.Select(o => (JsonNode?)o)]);
        }

        using var response = await admin.PostJsonAsync("/api/admin/apps", body);
        return await AssertStatusAsync(response, HttpStatusCode.Created);
    }

    /// <summary>Adds a key and answers its text.</summary>
    public static async Task<string> AddKeyAsync(this ApiClient admin, string appId, string name, string kind)
    {
        using var response = await admin.PostJsonAsync($"/api/admin/apps/{appId}/keys", new JsonObject { ["name"] = name, ["kind"] = kind });
        var json = await AssertStatusAsync(response, HttpStatusCode.Created);
        return json["key"]!.GetValue<string>();
    }

    /// <summary>Rotates a key and answers the new one's text.</summary>
    public static async Task<string> RotateKeyAsync(this ApiClient admin, string appId, string name, int graceSeconds)
    {
        using var response = await admin.PostJsonAsync($"/api/admin/apps/{appId}/keys/{name}/rotate", new JsonObject { ["grace_seconds"] = graceSeconds });
        var json = await AssertStatusAsync(response, HttpStatusCode.OK);
        return json["key"]!.GetValue<string>();
    }

    public static async Task RevokeKeyAsync(this ApiClient admin, string appId, string name)
    {
        using var response = await admin.DeleteAsync($"/api/admin/apps/{appId}/keys/{name}");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    /// <summary>The app's audit entries, newest first, as (action, actor, subject).</summary>
    public static async Task<List<(string Action, string Actor, string? Subject)>> AuditAsync(this ApiClient admin, string appId, string? action = null)
    {
        var page = await admin.GetJsonAsync($"/api/admin/audit?app={appId}&limit=1000" + (action is null ? "" : $"&action={action}"));
        return [.. page["results"]!.AsArray().Select(e => (e!["action"]!.GetValue<string>(), e["actor"]!.GetValue<string>(), e["subject"]?.GetValue<string>()))];
    }

    /// <summary>The status of one event sent with <paramref name="client"/>'s key.</summary>
    public static async Task<HttpStatusCode> IngestStatusAsync(this ApiClient client)
    {
        using var response = await client.PostJsonAsync("/api/v1/product-events", Bodies.Event(Ids.Product(), Ids.User()));
        return response.StatusCode;
    }

    /// <summary>Awaits the key being refused (401) by the host, as every silo does within seconds of a revocation.</summary>
    public static Task WaitRefusedAsync(this ApiClient client, string what) =>
        Eventually.ReturnsAsync(client.IngestStatusAsync, s => s == HttpStatusCode.Unauthorized, what, Deadline);

    /// <summary>Awaits the key being taken (202), as every silo does within seconds of its creation.</summary>
    public static Task WaitAcceptedAsync(this ApiClient client, string what) =>
        Eventually.ReturnsAsync(client.IngestStatusAsync, s => s == HttpStatusCode.Accepted, what, Deadline);

    private static async Task<JsonNode> AssertStatusAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var json = await Http.ReadJsonAsync(response);
        Assert.True(response.StatusCode == status, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode}: {json}");
        return json;
    }
}
