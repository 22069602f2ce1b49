using ProductEvents.Api.Tests.Support;

namespace ProductEvents.Api.Tests.Segments;

/// <summary>
/// A window that ends months from now (beyond the 49.7 days a timer can wait at once) is scheduled like any other: the
/// contact becomes a member at once and its evaluation does not fail.
/// </summary>
[Collection(SegmentHostCollection.Name)]
public sealed class LongWindowTests(SegmentHostFixture host)
{
    [Theory]
    [InlineData("P90D")]
    [InlineData("P3650D")]
    public async Task AContactEntersASegmentWhoseWindowEndsMonthsAhead(string within)
    {
        var app = host.NewApp();
        var id = await app.Api.CreateReadyAsync("viewers", $$$"""{"event": {"types": ["view"], "within": "{{{within}}}"}}""");
        var (first, second) = (Ids.User(), Ids.User());

        await app.Api.IngestAsync(Bodies.Event(Ids.Product(), first, "view"));
        await app.Api.IngestAsync(Bodies.Event(Ids.Product(), second, "view"));

        await app.Api.WaitMemberAsync(id, first);
        await app.Api.WaitMemberAsync(id, second);
    }
}
