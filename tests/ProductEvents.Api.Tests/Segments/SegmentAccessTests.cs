using System.Net;
using ProductEvents.Api.Tests.Support;

namespace ProductEvents.Api.Tests.Segments;

[Collection(SegmentHostCollection.Name)]
public sealed class SegmentAccessTests(SegmentHostFixture host)
{
    public static TheoryData<string> ReadPaths => new()
    {
        "/api/v1/segments",
        "/api/v1/segments/{id}",
        "/api/v1/segments/{id}/members",
        "/api/v1/segments/{id}/members/user-1",
        "/api/v1/segments/{id}/count",
        "/api/v1/segments/{id}/changes",
        "/api/v1/contacts/user-1/segments",
    };

    [Theory]
    [MemberData(nameof(ReadPaths))]
    public async Task ReadingWithoutAKeyIsUnauthorizedAndWithThePublicKeyForbidden(string path)
    {
        var app = host.NewApp();
        var id = await app.Api.CreateReadyAsync("buyers", """{"event": {"types": ["purchase"]}}""");
        path = path.Replace("{id}", id, StringComparison.Ordinal);

        using var anonymous = await host.Client(null).GetAsync(path);
        using var browser = await app.Public.GetAsync(path);

        await Http.AssertProblemAsync(anonymous, HttpStatusCode.Unauthorized);
        await Http.AssertProblemAsync(browser, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task WritingWithoutTheSecretKeyChangesNothing()
    {
        var app = host.NewApp();
        var id = await app.Api.CreateReadyAsync("buyers", """{"event": {"types": ["purchase"]}}""");
        var definition = SegmentCalls.Definition("renamed", """{"event": {"types": ["view"]}}""");

        using var createAnonymous = await host.Client(null).PostJsonAsync("/api/v1/segments", definition);
        using var createPublic = await app.Public.PostJsonAsync("/api/v1/segments", definition);
        using var editPublic = await app.Public.PutJsonAsync($"/api/v1/segments/{id}", definition);
        using var deletePublic = await app.Public.DeleteAsync($"/api/v1/segments/{id}");
        using var deleteAnonymous = await host.Client(null).DeleteAsync($"/api/v1/segments/{id}");

        await Http.AssertProblemAsync(createAnonymous, HttpStatusCode.Unauthorized);
        await Http.AssertProblemAsync(createPublic, HttpStatusCode.Forbidden);
        await Http.AssertProblemAsync(editPublic, HttpStatusCode.Forbidden);
        await Http.AssertProblemAsync(deletePublic, HttpStatusCode.Forbidden);
        await Http.AssertProblemAsync(deleteAnonymous, HttpStatusCode.Unauthorized);
        var list = (await app.Api.GetJsonAsync("/api/v1/segments")).AsArray();
        Assert.Equal(("buyers", 1), (Assert.Single(list)!["name"]!.GetValue<string>(), list[0]!["version"]!.GetValue<int>()));
    }

    [Fact]
    public async Task AnotherAppsSegmentIsNotFoundEverywhere()
    {
        var (owner, other) = (host.NewApp(), host.NewApp());
        var buyer = Ids.User();
        await owner.Api.IngestAsync(Bodies.Event(Ids.Product(), buyer, "purchase"));
        var id = await owner.Api.CreateReadyAsync("buyers", """{"event": {"types": ["purchase"]}}""");
        await owner.Api.WaitMemberAsync(id, buyer);

        foreach (var path in new[] { "", "/members", $"/members/{buyer}", "/count", "/changes" })
        {
            using var read = await other.Api.GetAsync($"/api/v1/segments/{id}{path}");
            await Http.AssertProblemAsync(read, HttpStatusCode.NotFound);
        }

        using var edit = await other.Api.PutJsonAsync($"/api/v1/segments/{id}", SegmentCalls.Definition("x", """{"event": {"types": ["view"]}}"""));
        using var delete = await other.Api.DeleteAsync($"/api/v1/segments/{id}");
        await Http.AssertProblemAsync(edit, HttpStatusCode.NotFound);
        await Http.AssertProblemAsync(delete, HttpStatusCode.NotFound);
        Assert.Empty((await other.Api.GetJsonAsync("/api/v1/segments")).AsArray());
        Assert.Empty((await other.Api.GetJsonAsync($"/api/v1/contacts/{buyer}/segments"))["results"]!.AsArray());
        Assert.Equal(1, await owner.Api.CountAsync(id));
        Assert.Equal("buyers", (await owner.Api.GetJsonAsync($"/api/v1/segments/{id}"))["name"]!.GetValue<string>());
    }
}
