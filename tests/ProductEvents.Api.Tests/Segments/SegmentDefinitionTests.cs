using System.Net;
using System.Text.Json.Nodes;
using ProductEvents.Api.Tests.Support;

namespace ProductEvents.Api.Tests.Segments;

[Collection(SegmentHostCollection.Name)]
public sealed class SegmentDefinitionTests(SegmentHostFixture host)
{
    private const string Buyers = """{"event": {"types": ["purchase"]}}""";
    private const string Likers = """{"event": {"types": ["liking"]}}""";

    [Fact]
    public async Task CreatingASegmentAnswers201WithItsLocationAndABuildThatEndsReady()
    {
        var app = host.NewApp();

        using var response = await app.Api.PostJsonAsync("/api/v1/segments", SegmentCalls.Definition("buyers", """{"event": {"count": {"gte": 1}, "types": [2]}}"""));

        var created = await Http.ReadJsonAsync(response);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = created["id"]!.GetValue<string>();
        Assert.StartsWith("seg_", id, StringComparison.Ordinal);
        Assert.Equal($"/api/v1/segments/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("buyers", created["name"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Buyers), created["condition"]), created["condition"]!.ToJsonString());
        Assert.Equal((1, "building", 0d), (created["version"]!.GetValue<int>(), created["status"]!.GetValue<string>(), created["progress"]!.GetValue<double>()));

        var ready = await app.Api.WaitReadyAsync(id);

        Assert.Equal(1d, ready["progress"]!.GetValue<double>());
        Assert.Equal(created["created_at"]!.GetValue<string>(), ready["created_at"]!.GetValue<string>());
    }

    [Fact]
    public async Task ABuildOverManyContactsReportsRisingProgressAndIsCompleteWhenReady()
    {
        var app = host.NewApp();
        var events = Enumerable.Range(0, 450).Select(i => Bodies.Event(Ids.Product(), $"user-{i:D3}", i % 3 == 0 ? "view" : "purchase", Bodies.At(i)));
        await app.Api.IngestBatchAsync(events);

        var id = (await app.Api.CreateAsync("buyers", Buyers))["id"]!.GetValue<string>();
        var firstPage = await app.Api.GetJsonAsync($"/api/v1/segments/{id}/members");
        var seen = new List<(string Status, double Progress)>();
        await Eventually.ReturnsAsync(
            async () =>
            {
                var segment = await app.Api.GetJsonAsync($"/api/v1/segments/{id}");
                seen.Add((segment["status"]!.GetValue<string>(), segment["progress"]!.GetValue<double>()));
                return seen[^1];
            },
            s => s.Status == "ready",
            "the build to finish");

        // A membership read while building says so; it is never served as final.
        Assert.Equal("building", firstPage["status"]!.GetValue<string>());
        Assert.All(seen.Where(s => s.Status == "building"), s => Assert.InRange(s.Progress, 0, 0.99));
        Assert.Equal(seen.Select(s => s.Progress).Order(), seen.Select(s => s.Progress));
        Assert.Equal(1d, seen[^1].Progress);
        var count = await app.Api.GetJsonAsync($"/api/v1/segments/{id}/count");
        Assert.Equal((300L, "ready"), (count["count"]!.GetValue<long>(), count["status"]!.GetValue<string>()));
    }

    [Fact]
    public async Task SegmentsAreReadOneByOneAndListedInCreationOrder()
    {
        var app = host.NewApp();
        var first = (await app.Api.CreateAsync("buyers", Buyers))["id"]!.GetValue<string>();
        var second = (await app.Api.CreateAsync("likers", Likers))["id"]!.GetValue<string>();

        var one = await app.Api.GetJsonAsync($"/api/v1/segments/{second}");
        var list = (await app.Api.GetJsonAsync("/api/v1/segments")).AsArray();

        Assert.Equal((second, "likers"), (one["id"]!.GetValue<string>(), one["name"]!.GetValue<string>()));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Likers), one["condition"]));
        Assert.Equal([first, second], list.Select(s => s!["id"]!.GetValue<string>()));
        Assert.Equal(["buyers", "likers"], list.Select(s => s!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task EditingASegmentBumpsItsVersionRebuildsItAndMembershipFollowsTheNewCondition()
    {
        var app = host.NewApp();
        var (buyer, liker) = (Ids.User(), Ids.User());
        await app.Api.IngestAsync(Bodies.Event(Ids.Product(), buyer, "purchase"));
        await app.Api.IngestAsync(Bodies.Event(Ids.Product(), liker, "liking"));
        var id = await app.Api.CreateReadyAsync("buyers", Buyers);
        Assert.True(await app.Api.IsMemberAsync(id, buyer));

        using var response = await app.Api.PutJsonAsync($"/api/v1/segments/{id}", SegmentCalls.Definition("likers", Likers));

        var updated = await Http.ReadJsonAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((id, "likers", 2, "building"), (updated["id"]!.GetValue<string>(), updated["name"]!.GetValue<string>(), updated["version"]!.GetValue<int>(), updated["status"]!.GetValue<string>()));
        await app.Api.WaitReadyAsync(id);
        Assert.True(await app.Api.IsMemberAsync(id, liker));
        Assert.False(await app.Api.IsMemberAsync(id, buyer));
        Assert.Equal([liker], await app.Api.AllMembersAsync(id));
        Assert.Equal(2, (await app.Api.GetJsonAsync($"/api/v1/segments/{id}"))["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task EditingAnUnknownSegmentIsNotFoundAndAnInvalidEditChangesNothing()
    {
        var app = host.NewApp();
        var id = await app.Api.CreateReadyAsync("buyers", Buyers);

        using var unknown = await app.Api.PutJsonAsync("/api/v1/segments/seg_000000000000", SegmentCalls.Definition("x", Buyers));
        using var invalid = await app.Api.PutJsonAsync($"/api/v1/segments/{id}", SegmentCalls.Definition("x", """{"event": {"types": ["buy"]}}"""));

        await Http.AssertProblemAsync(unknown, HttpStatusCode.NotFound);
        await Http.AssertFieldErrorAsync(invalid, "condition.event.types[0]");
        var segment = await app.Api.GetJsonAsync($"/api/v1/segments/{id}");
        Assert.Equal(("buyers", 1, "ready"), (segment["name"]!.GetValue<string>(), segment["version"]!.GetValue<int>(), segment["status"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ADeletedSegmentIsGoneFromEveryEndpointAndFromItsMembersSegments()
    {
        var app = host.NewApp();
        var buyer = Ids.User();
        await app.Api.IngestAsync(Bodies.Event(Ids.Product(), buyer, "purchase"));
        var id = await app.Api.CreateReadyAsync("buyers", Buyers);
        var kept = await app.Api.CreateReadyAsync("still buyers", Buyers);
        await app.Api.WaitMemberAsync(id, buyer);

        using var deleted = await app.Api.DeleteAsync($"/api/v1/segments/{id}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        foreach (var path in new[] { "", "/members", $"/members/{buyer}", "/count", "/changes" })
        {
            using var read = await app.Api.GetAsync($"/api/v1/segments/{id}{path}");
            await Http.AssertProblemAsync(read, HttpStatusCode.NotFound);
        }

        using var again = await app.Api.DeleteAsync($"/api/v1/segments/{id}");
        using var edit = await app.Api.PutJsonAsync($"/api/v1/segments/{id}", SegmentCalls.Definition("x", Buyers));
        await Http.AssertProblemAsync(again, HttpStatusCode.NotFound);
        await Http.AssertProblemAsync(edit, HttpStatusCode.NotFound);
        Assert.Equal([kept], (await app.Api.GetJsonAsync("/api/v1/segments")).AsArray().Select(s => s!["id"]!.GetValue<string>()));
        var segments = await app.Api.GetJsonAsync($"/api/v1/contacts/{buyer}/segments");
        Assert.Equal([kept], segments["results"]!.AsArray().Select(s => s!["segment_id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task TheHundredAndFirstSegmentOfAnAppIsAConflict()
    {
        var app = host.NewApp();
        var ids = new List<string>();
        for (var i = 0; i < 100; i++)
        {
            ids.Add((await app.Api.CreateAsync($"segment {i}", Buyers))["id"]!.GetValue<string>());
        }

        using var refused = await app.Api.PostJsonAsync("/api/v1/segments", SegmentCalls.Definition("one too many", Buyers));

        var problem = await Http.AssertProblemAsync(refused, HttpStatusCode.Conflict);
        Assert.Contains("100", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(100, (await app.Api.GetJsonAsync("/api/v1/segments")).AsArray().Count);
        using var deleted = await app.Api.DeleteAsync($"/api/v1/segments/{ids[0]}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await app.Api.CreateAsync("room again", Buyers);
    }
}
