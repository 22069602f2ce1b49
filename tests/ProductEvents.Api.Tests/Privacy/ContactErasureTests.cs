using System.Net;
using System.Text.Json.Nodes;
using ProductEvents.Api.Tests.Segments;
using ProductEvents.Api.Tests.Support;

namespace ProductEvents.Api.Tests.Privacy;

/// <summary>
/// <c>DELETE /api/v1/contacts/{user_id}</c> on the durable host: afterwards no endpoint shows anything of the contact or
/// of the visitor merged into it, its segments record an erased leave, its waiting run never fires, and another
/// contact of the same products, segments and automations is untouched.
/// </summary>
[Collection(PrivacyCollection.Name)]
public sealed class ContactErasureTests(PrivacyHost host)
{
    /// <summary>The reminder's wait: long enough for the test to erase the contact before its run is due.</summary>
    private const int ReminderSeconds = 15;

    [Fact]
    public async Task ErasedContactIsReadableThroughNoEndpoint()
    {
        var api = host.Api;
        var (user, visitor, kept) = (Ids.User(), Ids.User(), Ids.User());
        var (viewed, bought) = (Ids.Product(), Ids.Product());
        var segment = await api.CreateReadyAsync($"viewers {viewed}", PrivacyHost.ViewedCondition(viewed));
        var reminder = await host.CreateAutomationAsync($"reminder {bought}", bought, $"PT{ReminderSeconds}S");
        var thanks = await host.CreateAutomationAsync($"thanks {bought}", bought, "PT0S", "purchase", capped: true);

        await api.IngestAsync(PrivacyHost.Event(viewed, "view", null, visitor, new JsonObject { ["name"] = "Chair" }));
        using (var identified = await api.PostJsonAsync("/api/v1/identify", new JsonObject { ["user_id"] = user, ["user_key"] = visitor }))
        {
            Assert.Equal(HttpStatusCode.OK, identified.StatusCode);
        }

        await api.IngestAsync(PrivacyHost.Event(viewed, "view", user));
        await api.IngestAsync(PrivacyHost.Event(bought, "add to cart", user, attributes: new JsonObject { ["name"] = "Lamp", ["price"] = 30 }));
        await api.IngestAsync(PrivacyHost.Event(bought, "purchase", user));
        await api.IngestAsync(PrivacyHost.Event(viewed, "view", kept));
        await api.IngestAsync(PrivacyHost.Event(bought, "add to cart", kept));
        await host.ContactHasAsync(api, user, 4);
        await host.ContactHasAsync(api, kept, 2);
        await api.WaitMemberAsync(segment, user);
        await api.WaitMemberAsync(segment, kept);
        await Eventually.TrueAsync(async () => (await host.RunsAsync(reminder)).Count == 2, "a waiting reminder for each contact");
        await Eventually.TrueAsync(() => host.Receiver.Delivered.Any(w => Named(w.Json, user)), "the thank-you webhook of the purchase");
        var number = (await api.GetJsonAsync($"/api/v1/contacts/{user}"))["id"]!.GetValue<long>();
        await Eventually.TrueAsync(async () => await host.GrainRowsNamingAsync(user) >= 1, "the frequency cap of the contact to be stored");

        var erasure = await host.EraseAsync(user);
        Assert.Equal(0, await host.GrainRowsNamingAsync(user));
        Assert.Equal(0, await host.GrainRowsNamingAsync(visitor));

        Assert.Equal(4, erasure["events"]!.GetValue<long>());
        Assert.Equal(1, erasure["visitors"]!.GetValue<int>());
        Assert.True(erasure["segments"]!.GetValue<int>() >= 1, erasure.ToJsonString());
        Assert.Equal(1, erasure["runs"]!.GetValue<int>());

        // The contact, its segments, its events (its own and its visitor's), in every listing.
        await Http.AssertProblemAsync(await api.GetAsync($"/api/v1/contacts/{user}"), HttpStatusCode.NotFound);
        Assert.Empty((await api.GetJsonAsync($"/api/v1/contacts/{user}/segments"))["results"]!.AsArray());
        Assert.Empty((await api.GetJsonAsync($"/api/v1/contacts/{user}/product-events"))["results"]!.AsArray());
        Assert.Empty((await api.GetJsonAsync($"/api/v1/product-events?user_id={user}"))["results"]!.AsArray());
        Assert.Empty((await api.GetJsonAsync($"/api/v1/product-events?user_key={visitor}"))["results"]!.AsArray());
        foreach (var listing in new[] { "/api/v1/product-events?limit=1000", $"/api/v1/products/{viewed}/events", $"/api/v1/products/{bought}/events" })
        {
            var events = (await api.GetJsonAsync(listing))["results"]!.AsArray();
            Assert.DoesNotContain(events, e => Named(e!, user) || e!["user_key"]?.GetValue<string>() == visitor);
        }

        // Segments: no longer a member, and the change feed holds only the erased leave.
        Assert.False(await api.IsMemberAsync(segment, user));
        var members = (await api.GetJsonAsync($"/api/v1/segments/{segment}/members?limit=1000"))["results"]!.AsArray();
        Assert.DoesNotContain(members, m => Named(m!, user) || m!["user_key"]?.GetValue<string>() == visitor);
        var changes = (await api.GetJsonAsync($"/api/v1/segments/{segment}/changes?limit=1000"))["results"]!.AsArray().Where(c => Named(c!, user)).ToList();
        var leave = Assert.Single(changes)!;
        Assert.Equal("leave", leave["change"]!.GetValue<string>());
        Assert.True(leave["erased"]!.GetValue<bool>());

        // Export: what is held is the erased leave of each segment it was in, nothing else.
        var export = await api.GetJsonAsync($"/api/v1/contacts/{user}/export");
        Assert.Null(export["summary"]);
        Assert.Null(export["id"]);
        foreach (var part in new[] { "visitor_keys", "events", "segments", "automation_runs", "deliveries" })
        {
            Assert.Empty(export[part]!.AsArray());
        }

        Assert.All(export["segment_changes"]!.AsArray(), c => Assert.True(c!["erased"]!.GetValue<bool>()));

        // The User.com-compatible layer.
        var page = await api.GetJsonAsync($"/api/public/users-by-id/{user}/product_events/");
        Assert.Equal(0, page["count"]!.GetValue<int>());
        Assert.Empty(page["results"]!.AsArray());
        await Http.AssertProblemAsync(await api.GetAsync($"/api/public/users/{number}/product_events/"), HttpStatusCode.NotFound);

        // Automations: its runs are gone, its webhooks left the outbox.
        Assert.DoesNotContain(await host.RunsAsync(reminder), r => Named(r!, user));
        Assert.DoesNotContain(await host.RunsAsync(thanks), r => Named(r!, user));
        Assert.DoesNotContain(await host.DeliveriesAsync(), d => Named(d!["body"]!, user));

        // The other contact and the products are as they were: a product keeps its attributes and counts.
        Assert.Equal(2, (await api.GetJsonAsync($"/api/v1/contacts/{kept}"))["event_count"]!.GetValue<long>());
        Assert.True(await api.IsMemberAsync(segment, kept));
        var product = await api.GetJsonAsync($"/api/v1/products/{bought}");
        Assert.Equal("Lamp", product["name"]!.GetValue<string>());
        Assert.Equal(2, product["event_counts"]!["add to cart"]!.GetValue<long>());

        // The erased contact's reminder never fires; the other's, due after it, does.
        var before = host.Receiver.Received.Count(w => Named(w.Json, user));
        await Eventually.TrueAsync(() => host.Receiver.Delivered.Any(w => Named(w.Json, kept)), "the other contact's reminder", TimeSpan.FromSeconds(ReminderSeconds + 30));
        Assert.Equal(before, host.Receiver.Received.Count(w => Named(w.Json, user)));
        await Eventually.TrueAsync(
            async () => await host.RunsAsync(reminder) is [{ } run] && run["status"]!.GetValue<string>() == "fired",
            "the other contact's reminder to be the only run, fired");
    }

    [Fact]
    public async Task EventsAfterTheErasureStartANewContact()
    {
        var api = host.Api;
        var (user, product) = (Ids.User(), Ids.Product());
        await api.IngestAsync(PrivacyHost.Event(product, "view", user));
        await api.IngestAsync(PrivacyHost.Event(product, "view", user));
        await host.ContactHasAsync(api, user, 2);
        var number = (await api.GetJsonAsync($"/api/v1/contacts/{user}"))["id"]!.GetValue<long>();

        await host.EraseAsync(user);
        await api.IngestAsync(PrivacyHost.Event(product, "add to cart", user));

        await host.ContactHasAsync(api, user, 1);
        var contact = await api.GetJsonAsync($"/api/v1/contacts/{user}");
        Assert.Equal("add to cart", Assert.Single(contact["interactions"]!.AsArray())!["event_type"]!.GetValue<string>());
        Assert.NotEqual(number, contact["id"]!.GetValue<long>());
        Assert.Single((await api.GetJsonAsync($"/api/v1/contacts/{user}/product-events"))["results"]!.AsArray());
    }

    [Fact]
    public async Task ErasingAContactWithNothingHeldIsDoneAndRepeatable()
    {
        var user = Ids.User();

        var first = await host.EraseAsync(user);
        var second = await host.EraseAsync(user);

        Assert.Equal(0, first["events"]!.GetValue<long>());
        Assert.Equal(0, second["events"]!.GetValue<long>());
        var status = await host.Api.GetJsonAsync($"/api/v1/contacts/{user}/erasure");
        Assert.Equal("done", status["status"]!.GetValue<string>());
        Assert.Equal(user, status["user_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnotherAppCannotEraseOrExportTheContact()
    {
        var user = Ids.User();
        await host.Api.IngestAsync(PrivacyHost.Event(Ids.Product(), "view", user));
        await host.ContactHasAsync(host.Api, user, 1);

        await host.OtherApi.DeleteAsync($"/api/v1/contacts/{user}");

        await Http.AssertProblemAsync(await host.OtherApi.GetAsync($"/api/v1/contacts/{user}/export"), HttpStatusCode.NotFound);
        Assert.Equal(1, (await host.Api.GetJsonAsync($"/api/v1/contacts/{user}"))["event_count"]!.GetValue<long>());
    }

    private static bool Named(JsonNode node, string userId) =>
        node["user_id"] is JsonValue value && value.GetValueKind() == System.Text.Json.JsonValueKind.String && value.GetValue<string>() == userId;
}
