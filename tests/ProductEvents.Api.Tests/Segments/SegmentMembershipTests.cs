using System.Net;
using System.Text.Json.Nodes;
using ProductEvents.Api.Tests.Support;

namespace ProductEvents.Api.Tests.Segments;

[Collection(SegmentHostCollection.Name)]
public sealed class SegmentMembershipTests(SegmentHostFixture host)
{
    private const string Buyers = """{"event": {"types": ["purchase"]}}""";
    private const string CartNotPurchased = """{"all": [{"event": {"types": ["add to cart"]}}, {"not": {"event": {"types": ["purchase"]}}}]}""";

    [Fact]
    public async Task MembersArePagedWithACursorUntilNextIsNull()
    {
        var app = host.NewApp();
        var buyers = Enumerable.Range(0, 7).Select(_ => Ids.User()).ToArray();
        await app.Api.IngestBatchAsync(buyers.Select(b => Bodies.Event(Ids.Product(), b, "purchase")));
        await app.Api.IngestAsync(Bodies.Event(Ids.Product(), Ids.User(), "view"));
        var id = await app.Api.CreateReadyAsync("buyers", Buyers);

        var pages = new List<JsonNode>();
        string? url = $"/api/v1/segments/{id}/members?limit=3";
        while (url is not null)
        {
            pages.Add(await app.Api.GetJsonAsync(url));
            url = pages[^1]["next"]?.GetValue<string>();
        }

        Assert.Equal([3, 3, 1], pages.Select(p => p["results"]!.AsArray().Count));
        Assert.All(pages, p => Assert.Equal("ready", p["status"]!.GetValue<string>()));
        var members = pages.SelectMany(p => p["results"]!.AsArray()).Select(m => m!).ToList();
        Assert.Equal(buyers.Order(StringComparer.Ordinal), members.Select(m => m["user_id"]!.GetValue<string>()));
        Assert.All(members, m => Assert.True(DateTimeOffset.TryParse(m["since"]!.GetValue<string>(), out _)));
        Assert.Equal(buyers.Order(StringComparer.Ordinal), await app.Api.AllMembersAsync(id, limit: 1000));
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=1001")]
    [InlineData("limit=-1")]
    [InlineData("limit=ten")]
    [InlineData("limit=")]
    public async Task AMembersLimitOutsideOneToAThousandIs400(string query)
    {
        var app = host.NewApp();
        var id = await app.Api.CreateReadyAsync("buyers", Buyers);

        using var response = await app.Api.GetAsync($"/api/v1/segments/{id}/members?{query}");

        Assert.Contains("1 to 1000", await Http.AssertFieldErrorAsync(response, "limit"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("!!!")]
    // "u/": a contact key's prefix without the contact.
    [InlineData("dS8")]
    [InlineData("not-a-cursor")]
    public async Task AMembersCursorThisApiDidNotGiveOutIs400(string cursor)
    {
        var app = host.NewApp();
        var id = await app.Api.CreateReadyAsync("buyers", Buyers);

        using var response = await app.Api.GetAsync($"/api/v1/segments/{id}/members?cursor={cursor}");

        await Http.AssertFieldErrorAsync(response, "cursor");
    }

    [Fact]
    public async Task AMembershipCheckAnswersMemberWithSinceOrNot()
    {
        var app = host.NewApp();
        var (buyer, viewer) = (Ids.User(), Ids.User());
        var id = await app.Api.CreateReadyAsync("buyers", Buyers);
        var before = DateTimeOffset.UtcNow;
        await app.Api.IngestAsync(Bodies.Event(Ids.Product(), buyer, "purchase"));
        await app.Api.IngestAsync(Bodies.Event(Ids.Product(), viewer, "view"));
        await app.Api.WaitMemberAsync(id, buyer);

        var member = await app.Api.GetJsonAsync($"/api/v1/segments/{id}/members/{buyer}");
        var stranger = await app.Api.GetJsonAsync($"/api/v1/segments/{id}/members/{viewer}");

        Assert.True(member["member"]!.GetValue<bool>());
        Assert.InRange(DateTimeOffset.Parse(member["since"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture), before.AddSeconds(-1), DateTimeOffset.UtcNow);
        Assert.Equal("ready", member["status"]!.GetValue<string>());
        Assert.False(stranger["member"]!.GetValue<bool>());
        Assert.Null(stranger["since"]);
    }

    [Fact]
    public async Task TheCountFollowsJoinsAndLeaves()
    {
        var app = host.NewApp();
        var id = await app.Api.CreateReadyAsync("carts not purchased", CartNotPurchased);
        var (first, second) = (Ids.User(), Ids.User());
        Assert.Equal(0, await app.Api.CountAsync(id));

        await app.Api.IngestAsync(Bodies.Event(Ids.Product(), first, "add to cart"));
        await app.Api.IngestAsync(Bodies.Event(Ids.Product(), second, "add to cart"));
        await Eventually.ReturnsAsync(() => app.Api.CountAsync(id), n => n == 2, "two members");
        await app.Api.IngestAsync(Bodies.Event(Ids.Product(), first, "purchase"));

        await Eventually.ReturnsAsync(() => app.Api.CountAsync(id), n => n == 1, "one member");
        Assert.Equal([second], await app.Api.AllMembersAsync(id));
    }

    [Fact]
    public async Task TheChangeFeedListsJoinsAndLeavesWithTheirTimesAndPages()
    {
        var app = host.NewApp();
        var id = await app.Api.CreateReadyAsync("carts not purchased", CartNotPurchased);
        var user = Ids.User();
        var product = Ids.Product();
        await app.Api.IngestAsync(Bodies.Event(product, user, "add to cart"));
        await app.Api.WaitMemberAsync(id, user);
        await app.Api.IngestAsync(Bodies.Event(product, user, "purchase"));
        await app.Api.WaitMemberAsync(id, user, member: false);

        var feed = await app.Api.GetJsonAsync($"/api/v1/segments/{id}/changes");

        var changes = feed["results"]!.AsArray().Select(c => c!).ToList();
        Assert.Equal(["join", "leave"], changes.Select(c => c["change"]!.GetValue<string>()));
        Assert.All(changes, c => Assert.Equal(user, c["user_id"]!.GetValue<string>()));
        var (joinedAt, leftAt) = (At(changes[0]), At(changes[1]));
        Assert.True(joinedAt <= leftAt);
        Assert.True(changes[0]["number"]!.GetValue<long>() < changes[1]["number"]!.GetValue<long>());
        Assert.Null(feed["next"]);

        var page = await app.Api.GetJsonAsync($"/api/v1/segments/{id}/changes?limit=1");
        Assert.Equal("join", Assert.Single(page["results"]!.AsArray())!["change"]!.GetValue<string>());
        var next = await app.Api.GetJsonAsync(page["next"]!.GetValue<string>());
        Assert.Equal("leave", Assert.Single(next["results"]!.AsArray())!["change"]!.GetValue<string>());
        Assert.Null(next["next"]);

        var later = DateTimeOffset.UtcNow.AddMinutes(1).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Empty((await app.Api.GetJsonAsync($"/api/v1/segments/{id}/changes?since={Uri.EscapeDataString(later)}"))["results"]!.AsArray());
        var sinceJoin = changes[0]["at"]!.GetValue<string>();
        Assert.Equal(2, (await app.Api.GetJsonAsync($"/api/v1/segments/{id}/changes?since={Uri.EscapeDataString(sinceJoin)}"))["results"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("since=yesterday", "since")]
    [InlineData("cursor=abc", "cursor")]
    [InlineData("limit=0", "limit")]
    public async Task ABadChangeFeedQueryIs400(string query, string field)
    {
        var app = host.NewApp();
        var id = await app.Api.CreateReadyAsync("buyers", Buyers);

        using var response = await app.Api.GetAsync($"/api/v1/segments/{id}/changes?{query}");

        await Http.AssertFieldErrorAsync(response, field);
    }

    [Fact]
    public async Task AContactListsTheSegmentsItBelongsToWithNamesAndSince()
    {
        var app = host.NewApp();
        var user = Ids.User();
        var buyers = await app.Api.CreateReadyAsync("buyers", Buyers);
        var likers = await app.Api.CreateReadyAsync("likers", """{"event": {"types": ["liking"]}}""");
        await app.Api.CreateReadyAsync("viewers", """{"event": {"types": ["view"]}}""");

        await app.Api.IngestAsync(Bodies.Event(Ids.Product(), user, "purchase"));
        await app.Api.IngestAsync(Bodies.Event(Ids.Product(), user, "liking"));
        // Each segment records its members on its own: wait for both before comparing with the contact's list.
        await app.Api.WaitMemberAsync(buyers, user);
        await app.Api.WaitMemberAsync(likers, user);

        var segments = await app.Api.GetJsonAsync($"/api/v1/contacts/{user}/segments");

        Assert.Equal(user, segments["user_id"]!.GetValue<string>());
        var results = segments["results"]!.AsArray().Select(s => s!).ToList();
        Assert.Equal([(buyers, "buyers"), (likers, "likers")], results.Select(s => (s["segment_id"]!.GetValue<string>(), s["name"]!.GetValue<string>())));
        var member = await app.Api.GetJsonAsync($"/api/v1/segments/{buyers}/members/{user}");
        Assert.Equal(At(member, "since"), At(results[0], "since"));
        Assert.Empty((await app.Api.GetJsonAsync($"/api/v1/contacts/{Ids.User()}/segments"))["results"]!.AsArray());
    }

    private static DateTimeOffset At(JsonNode node, string field = "at") =>
        DateTimeOffset.Parse(node[field]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
}
