using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ProductEvents.Automations.Tests.Support;
using ProductEvents.Testing;

namespace ProductEvents.Automations.Tests.Flows;

/// <summary>
/// Campaigns over real HTTP with a real receiver: a segment's members each get one signed webhook with their own
/// products, at the send time (a fake clock), no faster than the throttle, and not at all once cancelled.
/// </summary>
public sealed class CampaignTests(FakeClockHostFixture fixture) : IClassFixture<FakeClockHostFixture>
{
    private const string Template = "{{ contact.user_id }} viewed {% for p in contact.viewed_products %}{{ p.name }};{% endfor %} last {{ product.name }}";

    [Fact]
    public async Task CampaignReachesExactlyTheSegmentsMembersWithTheirOwnProductsSigned()
    {
        var (segment, members) = await SegmentAsync(3, outsiders: 2);

        var campaign = await CreateAsync(Definition(segment));
        var done = await StatusAsync(campaign, "done");

        Assert.Equal(3, done["total"]!.GetValue<long>());
        Assert.Equal(3, done["sent"]!.GetValue<long>());
        Assert.Equal(1.0, done["progress"]!.GetValue<double>());
        var webhooks = await ReceivedAsync(campaign, 3);
        Assert.Equal(members.Order(), webhooks.Select(w => w.Json["user_id"]!.GetValue<string>()).Order());
        foreach (var webhook in webhooks)
        {
            var user = webhook.Json["user_id"]!.GetValue<string>();
            Assert.True(Signatures.Verify(webhook.Body, webhook.Signature, Definitions.WebhookSecret), webhook.Signature);
            Assert.Equal($"{user} viewed Shoe of {user}; last Shoe of {user}", webhook.Json["message"]!.GetValue<string>());
            Assert.Equal(campaign, webhook.Json["campaign_id"]!.GetValue<string>());
        }

        await Eventually.TrueAsync(async () => (await GetAsync(campaign))["deliveries"]!["delivered"]!.GetValue<long>() == 3, "the report to count 3 delivered");
        var report = await fixture.Host.Http.GetFromJsonAsync<JsonObject>($"/api/v1/deliveries?campaign_id={campaign}");
        Assert.Equal(3, report!["results"]!.AsArray().Count);
        var listed = (await fixture.Host.Http.GetFromJsonAsync<JsonObject>("/api/v1/campaigns"))!["results"]!.AsArray();
        Assert.Single(listed, c => c!["id"]!.GetValue<string>() == campaign);
    }

    [Fact]
    public async Task CampaignScheduledLaterWaitsForItsSendTime()
    {
        var (segment, _) = await SegmentAsync(1);
        var sendAt = fixture.Clock.GetUtcNow() + TimeSpan.FromHours(2);
        var definition = Definition(segment);
        definition["send_at"] = sendAt.UtcDateTime.ToString("O");

        var campaign = await CreateAsync(definition);
        fixture.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal("scheduled", (await GetAsync(campaign))["status"]!.GetValue<string>());
        fixture.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));

        await StatusAsync(campaign, "done");
        await ReceivedAsync(campaign, 1);
        var delivery = (await fixture.Host.Http.GetFromJsonAsync<JsonObject>($"/api/v1/deliveries?campaign_id={campaign}"))!["results"]![0]!;
        Assert.True(delivery["created_at"]!.GetValue<DateTimeOffset>() >= sendAt, delivery.ToJsonString());
    }

    [Fact]
    public async Task CampaignScheduledAlmostAYearAheadIsCreatedOnceAndStaysScheduledAcrossItsFirstWakeUps()
    {
        var (segment, _) = await SegmentAsync(1);
        var sendAt = fixture.Clock.GetUtcNow() + TimeSpan.FromDays(364);
        var definition = Definition(segment);
        definition["send_at"] = sendAt.UtcDateTime.ToString("O");

        var campaign = await CreateAsync(definition);
        var created = await GetAsync(campaign);
        Assert.Equal("scheduled", created["status"]!.GetValue<string>());
        Assert.Equal(sendAt, created["send_at"]!.GetValue<DateTimeOffset>());
        Assert.Single((await fixture.Host.Http.GetFromJsonAsync<JsonObject>("/api/v1/campaigns"))!["results"]!.AsArray(), c => c!["id"]!.GetValue<string>() == campaign);

        fixture.Clock.Advance(TimeSpan.FromDays(8));

        Assert.Equal("scheduled", (await GetAsync(campaign))["status"]!.GetValue<string>());
        Assert.Equal(0, (await GetAsync(campaign))["sent"]!.GetValue<long>());
    }

    [Fact]
    public async Task CampaignScheduledFurtherAheadThanATimerCanWaitSendsAtItsSendTime()
    {
        var (segment, _) = await SegmentAsync(1);
        var sendAt = fixture.Clock.GetUtcNow() + TimeSpan.FromDays(60);
        var definition = Definition(segment);
        definition["send_at"] = sendAt.UtcDateTime.ToString("O");

        var campaign = await CreateAsync(definition);

        // Each wake-up before the send time arms the next one, a step at most.
        fixture.Clock.Advance(TimeSpan.FromDays(59));
        Assert.Equal("scheduled", (await GetAsync(campaign))["status"]!.GetValue<string>());
        fixture.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));

        await StatusAsync(campaign, "done");
        await ReceivedAsync(campaign, 1);
        var delivery = (await fixture.Host.Http.GetFromJsonAsync<JsonObject>($"/api/v1/deliveries?campaign_id={campaign}"))!["results"]![0]!;
        Assert.True(delivery["created_at"]!.GetValue<DateTimeOffset>() >= sendAt, delivery.ToJsonString());
    }

    [Fact]
    public async Task DeliveriesAreEnqueuedNoFasterThanTheThrottle()
    {
        var (segment, _) = await SegmentAsync(25);
        var definition = Definition(segment);
        definition["throttle_per_second"] = 10;

        var campaign = await CreateAsync(definition);
        await Eventually.TrueAsync(async () => (await GetAsync(campaign))["sent"]!.GetValue<long>() == 10, "the first page");
        Assert.Equal("sending", (await GetAsync(campaign))["status"]!.GetValue<string>());
        fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(async () => (await GetAsync(campaign))["sent"]!.GetValue<long>() == 20, "the second page");
        fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        await StatusAsync(campaign, "done");

        var created = (await fixture.Host.Http.GetFromJsonAsync<JsonObject>($"/api/v1/deliveries?campaign_id={campaign}"))!["results"]!.AsArray()
            .Select(d => d!["created_at"]!.GetValue<DateTimeOffset>()).Order().ToList();
        Assert.Equal(25, created.Count);
        Assert.All(created, start => Assert.True(created.Count(t => t >= start && t < start + TimeSpan.FromSeconds(1)) <= 10));
        Assert.True(created[^1] - created[0] >= TimeSpan.FromSeconds(2));
        await ReceivedAsync(campaign, 25);
    }

    [Fact]
    public async Task CancelledCampaignSendsNothing()
    {
        var (segment, _) = await SegmentAsync(2);
        var later = Definition(segment);
        later["send_at"] = (fixture.Clock.GetUtcNow() + TimeSpan.FromMinutes(30)).UtcDateTime.ToString("O");
        var cancelled = await CreateAsync(later);
        var control = await CreateAsync(later);

        using (var response = await fixture.Host.Http.PostAsync($"/api/v1/campaigns/{cancelled}/cancel", null))
        {
            Assert.Equal("cancelled", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["status"]!.GetValue<string>());
        }

        fixture.Clock.Advance(TimeSpan.FromMinutes(31));
        await StatusAsync(control, "done");
        await ReceivedAsync(control, 2);
        var after = await GetAsync(cancelled);
        Assert.Equal("cancelled", after["status"]!.GetValue<string>());
        Assert.Equal(0, after["sent"]!.GetValue<long>());
        Assert.Empty((await fixture.Host.Http.GetFromJsonAsync<JsonObject>($"/api/v1/deliveries?campaign_id={cancelled}"))!["results"]!.AsArray());
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Host.Http.PostAsync("/api/v1/campaigns/cmp_nothing/cancel", null)).StatusCode);
    }

    [Theory]
    [InlineData("segment_id", "segment_id", "\"seg_does_not_exist\"")]
    [InlineData("action.webhook.template", "action", """{"webhook": {"url": "http://127.0.0.1:9/x", "secret": "s", "template": "{% if %}"}}""")]
    [InlineData("action.webhook.url", "action", """{"webhook": {"url": "ftp://x.test/", "secret": "s", "template": ""}}""")]
    [InlineData("throttle_per_second", "throttle_per_second", "0")]
    [InlineData("throttle_per_second", "throttle_per_second", "1001")]
    [InlineData("send_at", "send_at", "\"tomorrow\"")]
    [InlineData("name", "name", "\"\"")]
    [InlineData("colour", "colour", "\"red\"")]
    [InlineData("throttle_per_second", "throttle_per_second", "\"10\"")]
    [InlineData("throttle_per_second", "throttle_per_second", "[10]")]
    [InlineData("throttle_per_second", "throttle_per_second", "true")]
    [InlineData("throttle_per_second", "throttle_per_second", "1.5")]
    [InlineData("throttle_per_second", "throttle_per_second", "-1")]
    [InlineData("throttle_per_second", "throttle_per_second", "1e20")]
    [InlineData("throttle_per_second", "throttle_per_second", "-1e400")]
    [InlineData("throttle_per_second", "throttle_per_second", "1e400")]
    [InlineData("send_at", "send_at", "1e20")]
    [InlineData("send_at", "send_at", "-1")]
    [InlineData("send_at", "send_at", "[\"2026-12-01T09:00:00Z\"]")]
    [InlineData("send_at", "send_at", "\"9999-12-31T23:59:59-14:00\"")]
    [InlineData("send_at", "send_at", "\"0001-01-01T00:00:00+14:00\"")]
    [InlineData("send_at", "send_at", "\"+275760-09-13T00:00:00Z\"")]
    public async Task BadDefinitionIsRefusedNamingThePath(string path, string field, string json)
    {
        var (segment, _) = await SegmentAsync(0);
        var definition = Definition(segment);
        definition[field] = JsonNode.Parse(json);

        using var response = await fixture.Host.Http.PostAsJsonAsync("/api/v1/campaigns", definition);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsObject();
        Assert.True(errors.ContainsKey(path), errors.ToJsonString());
    }

    [Fact]
    public async Task PublicKeyCannotCreateCampaigns()
    {
        using var response = await fixture.Host.PublicHttp.PostAsJsonAsync("/api/v1/campaigns", Definition("seg_x"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private JsonObject Definition(string segment) => new()
    {
        ["name"] = "Spring sale",
        ["segment_id"] = segment,
        ["action"] = Definitions.Webhook(fixture.Receiver.Url, Template),
    };

    /// <summary>A segment of its own (viewers of a new category) with <paramref name="count"/> members, each having viewed its own product.</summary>
    private async Task<(string Segment, List<string> Members)> SegmentAsync(int count, int outsiders = 0)
    {
        var category = $"c-{Guid.NewGuid():N}";
        var condition = new JsonObject
        {
            ["event"] = new JsonObject { ["types"] = new JsonArray("view"), ["product"] = new JsonObject { ["category"] = new JsonObject { ["eq"] = category } } },
        };
        using var created = await fixture.Host.Http.PostAsJsonAsync("/api/v1/segments", new JsonObject { ["name"] = category, ["condition"] = condition });
        var segment = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();

        // Silos re-read segment definitions once a (fake) second has passed.
        fixture.Clock.Advance(TimeSpan.FromSeconds(1.1));
        var members = Enumerable.Range(0, count).Select(i => $"u{i}-{Guid.NewGuid():N}").ToList();
        foreach (var user in members)
        {
            await fixture.Host.PostEventAsync(user, $"p-{user}", "view", fixture.Clock.GetUtcNow(), new JsonObject { ["name"] = $"Shoe of {user}", ["category"] = category });
        }

        for (var i = 0; i < outsiders; i++)
        {
            await fixture.Host.PostEventAsync($"o{i}-{Guid.NewGuid():N}", $"p-o-{category}", "view", fixture.Clock.GetUtcNow(), new JsonObject { ["category"] = "other" });
        }

        // Membership changes travel on a stream whose agents run on the host's clock: let the fake one move meanwhile.
        await Eventually.TrueAsync(async () =>
        {
            fixture.Clock.Advance(TimeSpan.FromMilliseconds(50));
            return (await fixture.Host.Http.GetFromJsonAsync<JsonObject>($"/api/v1/segments/{segment}/count"))!["count"]!.GetValue<long>() == count;
        }, $"{count} members");
        return (segment, members);
    }

    private async Task<string> CreateAsync(JsonObject definition)
    {
        using var response = await fixture.Host.Http.PostAsJsonAsync("/api/v1/campaigns", definition);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        return JsonNode.Parse(text)!["id"]!.GetValue<string>();
    }

    private async Task<JsonObject> GetAsync(string campaign) =>
        (await fixture.Host.Http.GetFromJsonAsync<JsonObject>($"/api/v1/campaigns/{campaign}"))!;

    private Task<JsonObject> StatusAsync(string campaign, string status) =>
        Eventually.GetAsync(async () => await GetAsync(campaign) is var c && c["status"]!.GetValue<string>() == status ? c : null, $"campaign {campaign} to be {status}");

    private Task<List<ReceivedWebhook>> ReceivedAsync(string campaign, int count) =>
        Eventually.GetAsync(() =>
        {
            var found = fixture.Receiver.Delivered.Where(w => w.Json["campaign_id"]?.GetValue<string>() == campaign).ToList();
            return Task.FromResult(found.Count >= count ? found : null);
        }, $"{count} webhooks of {campaign}");
}
