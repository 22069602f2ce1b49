using System.Net;
using System.Text.Json.Nodes;
using ProductEvents.Api.Tests.Support;

namespace ProductEvents.Api.Tests.Admin;

/// <summary>
/// Stored apps and keys through the admin API, on the shared hosts (Development: the operator endpoints are open there;
/// <see cref="AdminAccessTests"/> covers the operator key). Each test keeps to an app of its own.
/// </summary>
public abstract class AdminApiTests(HostFixture host)
{
    [Collection(HostCollection.Name)]
    public sealed class InMemory(HostFixture host) : AdminApiTests(host);

    [Collection(PostgresHostCollection.Name)]
    public sealed class Postgres(PostgresHostFixture host) : AdminApiTests(host);

    private ApiClient Admin => host.Anonymous;

    [Fact]
    public async Task AStoredKeyIngestsAndReadsUntilItIsRevokedAndEveryStepIsAudited()
    {
        var appId = AdminCalls.NewAppId();
        var created = await Admin.CreateAppAsync(appId);
        var key = await Admin.AddKeyAsync(appId, "backend", "secret");
        var client = host.Client(key);
        var productId = Ids.Product();

        await client.IngestAsync(Bodies.Event(productId, Ids.User()));
        var product = await client.GetJsonAsync($"/api/v1/products/{productId}");
        await Admin.RevokeKeyAsync(appId, "backend");
        await client.WaitRefusedAsync("the revoked key to be refused");

        Assert.Equal($"Shop {appId}", created["name"]!.GetValue<string>());
        Assert.StartsWith("pe_sk_", key, StringComparison.Ordinal);
        Assert.Equal(productId, product["product_id"]!.GetValue<string>());
        using (var alpha = await host.Alpha.GetAsync($"/api/v1/products/{productId}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, alpha.StatusCode);
        }

        Assert.Equal(
            [("key.revoke", "operator", "backend"), ("key.add", "operator", "backend"), ("app.create", "operator", appId)],
            await Admin.AuditAsync(appId));
    }

    [Fact]
    public async Task AStoredPublicKeyMaySendEventsAndIdentifyOnly()
    {
        var appId = AdminCalls.NewAppId();
        await Admin.CreateAppAsync(appId);
        var publicClient = host.Client(await Admin.AddKeyAsync(appId, "browser", "public"));
        var secretClient = host.Client(await Admin.AddKeyAsync(appId, "backend", "secret"));
        var productId = Ids.Product();

        await publicClient.IngestAsync(Bodies.Event(productId, Ids.User()));
        await publicClient.IngestBatchAsync([Bodies.Event(productId, Ids.User(), "purchase")]);
        using var read = await publicClient.GetAsync($"/api/v1/products/{productId}");
        using var segment = await publicClient.PostJsonAsync("/api/v1/segments", """{"name": "s", "condition": {"event": {"types": ["view"]}}}""");
        using var identify = await publicClient.PostJsonAsync("/api/v1/identify", $$"""{"user_id": "{{Ids.User()}}", "user_key": "visitor-{{Guid.NewGuid():N}}"}""");

        await Http.AssertProblemAsync(read, HttpStatusCode.Forbidden);
        await Http.AssertProblemAsync(segment, HttpStatusCode.Forbidden);
        Assert.True(identify.IsSuccessStatusCode, $"identify: {(int)identify.StatusCode}");
        var counts = (await secretClient.GetJsonAsync($"/api/v1/products/{productId}"))["event_counts"]!;
        Assert.Equal((1, 1), (counts["view"]!.GetValue<int>(), counts["purchase"]!.GetValue<int>()));
    }

    [Fact]
    public async Task OnlyAStoredPublicKeyIsTakenFromTheQuery()
    {
        var appId = AdminCalls.NewAppId();
        await Admin.CreateAppAsync(appId);
        var publicKey = await Admin.AddKeyAsync(appId, "browser", "public");
        var secretKey = await Admin.AddKeyAsync(appId, "backend", "secret");
        var body = Bodies.Event(Ids.Product(), Ids.User()).ToJsonString();

        using var beacon = await host.Anonymous.PostJsonAsync($"/api/v1/product-events?key={publicKey}", body);
        using var secretInUrl = await host.Anonymous.PostJsonAsync($"/api/v1/product-events?key={secretKey}", body);

        Assert.Equal(HttpStatusCode.Accepted, beacon.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, secretInUrl.StatusCode);
    }

    [Fact]
    public async Task ARotatedKeyWorksForItsGraceNextToTheNewOneAndARevocationEndsBoth()
    {
        var appId = AdminCalls.NewAppId();
        await Admin.CreateAppAsync(appId);
        var old = host.Client(await Admin.AddKeyAsync(appId, "backend", "secret"));

        var rotated = host.Client(await Admin.RotateKeyAsync(appId, "backend", graceSeconds: 3600));

        Assert.Equal(HttpStatusCode.Accepted, await old.IngestStatusAsync());
        Assert.Equal(HttpStatusCode.Accepted, await rotated.IngestStatusAsync());
        var keys = (await Admin.GetJsonAsync($"/api/admin/apps/{appId}/keys")).AsArray();
        Assert.Equal(["active", "expiring"], keys.Select(k => k!["status"]!.GetValue<string>()));
        Assert.All(keys, k => Assert.Null(k!["key"]));

        await Admin.RevokeKeyAsync(appId, "backend");

        await old.WaitRefusedAsync("the rotated key to be refused once revoked");
        await rotated.WaitRefusedAsync("the new key to be refused once revoked");
        Assert.Equal(("key.rotate", "operator", "backend"), (await Admin.AuditAsync(appId, "key.rotate")).Single());
    }

    [Fact]
    public async Task ARotationWithoutGraceRefusesTheOldKey()
    {
        var appId = AdminCalls.NewAppId();
        await Admin.CreateAppAsync(appId);
        var old = host.Client(await Admin.AddKeyAsync(appId, "browser", "public"));

        var rotated = await Admin.RotateKeyAsync(appId, "browser", graceSeconds: 0);

        Assert.StartsWith("pe_pk_", rotated, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, await host.Client(rotated).IngestStatusAsync());
        await old.WaitRefusedAsync("the old key to be refused after a rotation without grace");
    }

    [Fact]
    public async Task AStoredAppsAllowedOriginsDecideWhichPagesMaySend()
    {
        var appId = AdminCalls.NewAppId();
        await Admin.CreateAppAsync(appId, "https://shop.example");
        var key = await Admin.AddKeyAsync(appId, "browser", "public");

        var allowed = await SendFromAsync(key, "https://shop.example");
        var refused = await SendFromAsync(key, "https://elsewhere.example");
        using (var patch = await Admin.PatchJsonAsync($"/api/admin/apps/{appId}", """{"allowed_origins": ["https://shop.example", "https://elsewhere.example/"]}"""))
        {
            Assert.Equal(["https://shop.example", "https://elsewhere.example"], (await Http.ReadJsonAsync(patch))["allowed_origins"]!.AsArray().Select(o => o!.GetValue<string>()));
        }

        var allowedNow = await SendFromAsync(key, "https://elsewhere.example");

        Assert.Equal((HttpStatusCode.Accepted, "https://shop.example"), allowed);
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Equal((HttpStatusCode.Accepted, "https://elsewhere.example"), allowedNow);
        Assert.Equal("app.update", (await Admin.AuditAsync(appId))[0].Action);
    }

    [Fact]
    public async Task AppsAreCreatedOnceListedAndRead()
    {
        var appId = AdminCalls.NewAppId();
        await Admin.CreateAppAsync(appId);

        using var again = await Admin.PostJsonAsync("/api/admin/apps", new JsonObject { ["id"] = appId });
        var listed = (await Admin.GetJsonAsync("/api/admin/apps")).AsArray();
        var read = await Admin.GetJsonAsync($"/api/admin/apps/{appId}");
        using var missing = await Admin.GetAsync($"/api/admin/apps/{appId}-missing");
        using var configured = await Admin.GetAsync($"/api/admin/apps/{Keys.Alpha}/keys");

        await Http.AssertProblemAsync(again, HttpStatusCode.Conflict);
        Assert.Contains(listed, a => a!["id"]!.GetValue<string>() == appId);
        Assert.Equal(appId, read["id"]!.GetValue<string>());
        await Http.AssertProblemAsync(missing, HttpStatusCode.NotFound);
        var problem = await Http.AssertProblemAsync(configured, HttpStatusCode.NotFound);
        Assert.Contains("configuration", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyConflictsAndUnknownKeysAreProblems()
    {
        var appId = AdminCalls.NewAppId();
        await Admin.CreateAppAsync(appId);
        await Admin.AddKeyAsync(appId, "backend", "secret");

        using var taken = await Admin.PostJsonAsync($"/api/admin/apps/{appId}/keys", """{"name": "backend", "kind": "public"}""");
        using var noApp = await Admin.PostJsonAsync($"/api/admin/apps/{appId}-missing/keys", """{"name": "backend", "kind": "public"}""");
        using var noKey = await Admin.DeleteAsync($"/api/admin/apps/{appId}/keys/nothing");
        using var noRotation = await Admin.PostJsonAsync($"/api/admin/apps/{appId}/keys/nothing/rotate", "{}");

        await Http.AssertProblemAsync(taken, HttpStatusCode.Conflict);
        await Http.AssertProblemAsync(noApp, HttpStatusCode.NotFound);
        await Http.AssertProblemAsync(noKey, HttpStatusCode.NotFound);
        await Http.AssertProblemAsync(noRotation, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("/api/admin/apps", "POST", """{"name": "x"}""", "id")]
    [InlineData("/api/admin/apps", "POST", """{"id": "has/slash"}""", "id")]
    [InlineData("/api/admin/apps", "POST", """{"id": "ok-id", "colour": "red"}""", "colour")]
    [InlineData("/api/admin/apps", "POST", """{"id": "ok-id", "name": ""}""", "name")]
    [InlineData("/api/admin/apps", "POST", """{"id": "ok-id", "allowed_origins": ["https://shop.example/path"]}""", "allowed_origins[0]")]
    [InlineData("/api/admin/apps", "POST", """{"id": "ok-id", "allowed_origins": "https://shop.example"}""", "allowed_origins")]
    [InlineData("/api/admin/apps", "POST", """[1]""", "body")]
    [InlineData("/api/admin/apps/{app}", "PATCH", """{"id": "other"}""", "id")]
    [InlineData("/api/admin/apps/{app}/keys", "POST", """{"name": "backend", "kind": "admin"}""", "kind")]
    [InlineData("/api/admin/apps/{app}/keys", "POST", """{"name": "Back End", "kind": "secret"}""", "name")]
    [InlineData("/api/admin/apps/{app}/keys", "POST", """{"kind": "secret"}""", "name")]
    [InlineData("/api/admin/apps/{app}/keys/backend/rotate", "POST", """{"grace_seconds": -1}""", "grace_seconds")]
    [InlineData("/api/admin/apps/{app}/keys/backend/rotate", "POST", """{"grace_seconds": 604801}""", "grace_seconds")]
    [InlineData("/api/admin/apps/{app}/keys/backend/rotate", "POST", """{"grace": 60}""", "grace")]
    public async Task BadInputIsRefusedNamingTheField(string path, string method, string body, string field)
    {
        var appId = AdminCalls.NewAppId();
        await Admin.CreateAppAsync(appId);
        await Admin.AddKeyAsync(appId, "backend", "secret");
        var target = path.Replace("{app}", appId, StringComparison.Ordinal);

        using var response = method == "PATCH" ? await Admin.PatchJsonAsync(target, body) : await Admin.PostJsonAsync(target, body);

        await Http.AssertFieldErrorAsync(response, field);
        Assert.Equal(["key.add", "app.create"], (await Admin.AuditAsync(appId)).Select(e => e.Action));
    }

    [Theory]
    [InlineData("action=key.burn", "action")]
    [InlineData("since=yesterday", "since")]
    [InlineData("until=2026-13-01", "until")]
    [InlineData("cursor=abc", "cursor")]
    [InlineData("limit=0", "limit")]
    public async Task BadAuditQueriesAreRefusedNamingTheParameter(string query, string field)
    {
        using var response = await Admin.GetAsync($"/api/admin/audit?{query}");

        await Http.AssertFieldErrorAsync(response, field);
    }

    [Fact]
    public async Task TheAuditListingPagesNewestFirst()
    {
        var appId = AdminCalls.NewAppId();
        await Admin.CreateAppAsync(appId);
        foreach (var name in new[] { "k1", "k2", "k3" })
        {
            await Admin.AddKeyAsync(appId, name, "secret");
        }

        var first = await Admin.GetJsonAsync($"/api/admin/audit?app={appId}&limit=3");
        var second = await Admin.GetJsonAsync(first["next"]!.GetValue<string>());

        Assert.Equal(["k3", "k2", "k1"], first["results"]!.AsArray().Select(e => e!["subject"]!.GetValue<string>()));
        Assert.Equal([appId], second["results"]!.AsArray().Select(e => e!["subject"]!.GetValue<string>()));
        Assert.Null(second["next"]);
        var entry = first["results"]![0]!;
        Assert.Equal(("key.add", "operator", appId, "secret"), (entry["action"]!.GetValue<string>(), entry["actor"]!.GetValue<string>(), entry["app_id"]!.GetValue<string>(), entry["details"]!["kind"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ChangesMadeWithAppKeysAreAuditedUnderTheKeysName()
    {
        var appId = AdminCalls.NewAppId();
        await Admin.CreateAppAsync(appId);
        var client = host.Client(await Admin.AddKeyAsync(appId, "crm-sync", "secret"));
        var condition = """{"event": {"types": ["view"]}}""";
        var segmentId = await CreatedIdAsync(client.PostJsonAsync("/api/v1/segments", $$"""{"name": "Viewers", "condition": {{condition}}}"""));
        using (var update = await client.PutJsonAsync($"/api/v1/segments/{segmentId}", $$"""{"name": "All viewers", "condition": {{condition}}}"""))
        {
            Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        }

        var automation = new JsonObject
        {
            ["name"] = "Cart reminder",
            ["trigger"] = new JsonObject { ["event"] = new JsonObject { ["types"] = new JsonArray("add to cart") } },
            ["wait"] = "PT3H",
            ["action"] = new JsonObject { ["webhook"] = new JsonObject { ["url"] = "https://hooks.shop.example/cart", ["secret"] = "whsec-audit-1234", ["template"] = "hi" } },
        };
        var automationId = await CreatedIdAsync(client.PostJsonAsync("/api/v1/automations", automation));
        automation["name"] = "Cart reminder 2";
        using (var update = await client.PutJsonAsync($"/api/v1/automations/{automationId}", automation.ToJsonString()))
        {
            Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        }

        var campaign = new JsonObject
        {
            ["name"] = "Later",
            ["segment_id"] = segmentId,
            ["send_at"] = DateTimeOffset.UtcNow.AddDays(30).ToString("O"),
            ["action"] = automation["action"]!.DeepClone(),
        };
        var campaignId = await CreatedIdAsync(client.PostJsonAsync("/api/v1/campaigns", campaign));
        using (var cancel = await client.PostAsync($"/api/v1/campaigns/{campaignId}/cancel", null))
        {
            Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        }

        using (var deleteAutomation = await client.DeleteAsync($"/api/v1/automations/{automationId}"))
        using (var deleteSegment = await client.DeleteAsync($"/api/v1/segments/{segmentId}"))
        {
            Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.NoContent), (deleteAutomation.StatusCode, deleteSegment.StatusCode));
        }

        var entries = (await Admin.AuditAsync(appId)).Where(e => e.Actor != "operator").ToList();
        Assert.Equal(
            [
                ("segment.delete", segmentId), ("automation.delete", automationId), ("campaign.cancel", campaignId), ("campaign.create", campaignId),
                ("automation.update", automationId), ("automation.create", automationId), ("segment.update", segmentId), ("segment.create", segmentId),
            ],
            entries.Select(e => (e.Action, e.Subject!)));
        Assert.All(entries, e => Assert.Equal("key:crm-sync", e.Actor));
    }

    [Fact]
    public async Task AConfiguredKeysChangesAreAuditedUnderItsKind()
    {
        var segmentId = await CreatedIdAsync(host.Alpha.PostJsonAsync("/api/v1/segments", """{"name": "Audited", "condition": {"event": {"types": ["purchase"]}}}"""));

        var entries = await Admin.AuditAsync(Keys.Alpha, "segment.create");

        Assert.Contains(("segment.create", "config-key:secret", segmentId), entries);
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesTheAdminApi()
    {
        var paths = (await host.Anonymous.GetJsonAsync("/openapi/v1.json"))["paths"]!.AsObject();

        foreach (var (path, method) in new[]
        {
            ("/api/admin/apps", "post"), ("/api/admin/apps", "get"), ("/api/admin/apps/{app}", "get"), ("/api/admin/apps/{app}", "patch"),
            ("/api/admin/apps/{app}/keys", "post"), ("/api/admin/apps/{app}/keys", "get"), ("/api/admin/apps/{app}/keys/{name}/rotate", "post"),
            ("/api/admin/apps/{app}/keys/{name}", "delete"), ("/api/admin/audit", "get"),
        })
        {
            Assert.True(paths[path]?[method]?["summary"] is not null, $"{method} {path} is not described in {string.Join(", ", paths.Select(p => p.Key))}");
        }
    }

    private async Task<(HttpStatusCode Status, string? AllowOrigin)> SendFromAsync(string key, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host.Address, "/api/v1/product-events"))
        {
            Content = new StringContent(Bodies.Event(Ids.Product(), Ids.User()).ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Token", key);
        request.Headers.Add("Origin", origin);
        using var http = new HttpClient();
        using var response = await http.SendAsync(request);
        return (response.StatusCode, response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) ? values.Single() : null);
    }

    private static async Task<string> CreatedIdAsync(Task<HttpResponseMessage> send)
    {
        using var response = await send;
        var json = await Http.ReadJsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {json}");
        return json["id"]!.GetValue<string>();
    }
}
