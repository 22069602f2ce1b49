using System.Net;
using System.Text.Json.Nodes;
using ProductEvents.Api.Tests.Segments;
using ProductEvents.Api.Tests.Support;

namespace ProductEvents.Api.Tests.Privacy;

/// <summary><c>GET /api/v1/contacts/{user_id}/export</c>: one JSON document with everything held about the contact.</summary>
[Collection(PrivacyCollection.Name)]
public sealed class ContactExportTests(PrivacyHost host)
{
    [Fact]
    public async Task ExportHoldsTheEventsSummaryVisitorsSegmentsRunsAndWebhooksOfTheContact()
    {
        var api = host.Api;
        var (user, visitor, other) = (Ids.User(), Ids.User(), Ids.User());
        var (viewed, carted) = (Ids.Product(), Ids.Product());
        var segment = await api.CreateReadyAsync($"export viewers {viewed}", PrivacyHost.ViewedCondition(viewed));
        var reminder = await host.CreateAutomationAsync($"export reminder {carted}", carted, "PT1H");
        var instant = await host.CreateAutomationAsync($"export instant {carted}", carted, "PT0S");
        await api.IngestAsync(PrivacyHost.Event(viewed, "view", user, visitor, new JsonObject { ["custom_data"] = new JsonObject { ["size"] = "M" } }));
        await api.IngestAsync(PrivacyHost.Event(carted, "add to cart", user));
        await api.IngestAsync(PrivacyHost.Event(viewed, "detail", null, visitor));
        await api.IngestAsync(PrivacyHost.Event(viewed, "view", other));
        await host.ContactHasAsync(api, user, 3);
        await api.WaitMemberAsync(segment, user);
        await Eventually.TrueAsync(() => host.Receiver.Delivered.Any(w => w.Json["user_id"]?.GetValue<string>() == user), "the instant webhook");
        await Eventually.TrueAsync(async () => (await host.DeliveriesAsync()).Any(d => d!["body"]!["user_id"]?.GetValue<string>() == user), "the delivery to be recorded");

        using var response = await api.GetAsync($"/api/v1/contacts/{user}/export");
        var export = await Http.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(PrivacyHost.Shop, export["app_id"]!.GetValue<string>());
        Assert.Equal(user, export["user_id"]!.GetValue<string>());
        Assert.Equal([visitor], export["visitor_keys"]!.AsArray().Select(k => k!.GetValue<string>()));
        Assert.Equal(3, export["summary"]!["event_count"]!.GetValue<long>());

        var events = export["events"]!.AsArray();
        Assert.Equal(3, events.Count);
        Assert.Equal(2, events.Count(e => e!["user_id"]?.GetValue<string>() == user));
        var visitorOnly = Assert.Single(events, e => e!["user_id"] is null);
        Assert.Equal(visitor, visitorOnly!["user_key"]!.GetValue<string>());
        Assert.Equal("M", events.Single(e => e!["event_type"]!.GetValue<string>() == "view")!["custom_data"]!["size"]!.GetValue<string>());
        Assert.DoesNotContain(events, e => e!["user_id"]?.GetValue<string>() == other);

        var membership = Assert.Single(export["segments"]!.AsArray(), s => s!["segment_id"]!.GetValue<string>() == segment);
        Assert.Equal($"export viewers {viewed}", membership!["name"]!.GetValue<string>());
        Assert.Contains(export["segment_changes"]!.AsArray(), c => c!["segment_id"]!.GetValue<string>() == segment && c["change"]!.GetValue<string>() == "join");

        var runs = export["automation_runs"]!.AsArray();
        Assert.Contains(runs, r => r!["automation_id"]!.GetValue<string>() == reminder && r["run"]!["status"]!.GetValue<string>() == "waiting");
        Assert.Contains(runs, r => r!["automation_id"]!.GetValue<string>() == instant);
        var delivery = Assert.Single(export["deliveries"]!.AsArray());
        Assert.Equal(user, delivery!["body"]!["user_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task ExportOfAContactNothingIsHeldAboutIsNotFound()
    {
        await Http.AssertProblemAsync(await host.Api.GetAsync($"/api/v1/contacts/{Ids.User()}/export"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ExportOfManyEventsWalksEveryPage()
    {
        var (user, product) = (Ids.User(), Ids.Product());
        const int Count = 2_500;
        for (var sent = 0; sent < Count; sent += 500)
        {
            await host.Api.IngestBatchAsync(Enumerable.Range(0, 500).Select(_ => PrivacyHost.Event(product, "view", user)));
        }

        var export = await host.Api.GetJsonAsync($"/api/v1/contacts/{user}/export");

        var numbers = export["events"]!.AsArray().Select(e => e!["number"]!.GetValue<long>()).ToList();
        Assert.Equal(Count, numbers.Count);
        Assert.Equal(Count, numbers.Distinct().Count());
        Assert.Equal(numbers.Order(), numbers);
    }
}
