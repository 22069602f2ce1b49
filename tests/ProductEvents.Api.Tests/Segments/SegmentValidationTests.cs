using System.Net;
using System.Text;
using ProductEvents.Api.Tests.Support;

namespace ProductEvents.Api.Tests.Segments;

[Collection(SegmentHostCollection.Name)]
public sealed class SegmentValidationTests(SegmentHostFixture host)
{
    public static TheoryData<string, string, string> BadDefinitions => new()
    {
        {
            """{"name": "x", "condition": {"all": [{"event": {"types": ["view"]}}, {"event": {"types": ["add to basket"]}}]}}""",
            "condition.all[1].event.types[0]", "is not an event type"
        },
        {
            """{"name": "x", "condition": {"event": {"types": ["view"], "product": {"price": {"between": [1, 5]}}}}}""",
            "condition.event.product.price.between", "unknown operator"
        },
        {
            """{"name": "x", "condition": {"event": {"types": ["view"], "product": {"price": {"gte": 50, "lte": "cheap", "lt": null}}}}}""",
            "condition.event.product.price.lt", "a number or a string"
        },
        {
            """{"name": "x", "condition": {"event": {"types": ["view"], "product": {"price": {"gte": 200, "lte": 50}}}}}""",
            "condition.event.product.price.lte", "leaves no value"
        },
        {
            """{"name": "x", "condition": {"event": {"types": ["view"], "within": "7 days"}}}""",
            "condition.event.within", "ISO-8601 duration"
        },
        {
            """{"name": "x", "condition": {"event": {"types": ["add to cart"], "not_followed_by": {"types": ["purchase"], "within": "P1M"}}}}""",
            "condition.event.not_followed_by.within", "years and months"
        },
        {
            """{"name": "x", "condition": {"event": {"types": ["view"], "typ": ["view"]}}}""",
            "condition.event.typ", "unknown key"
        },
        {
            """{"name": "x", "condition": {"evnt": {"types": ["view"]}}}""",
            "condition.evnt", "unknown key"
        },
        {
            """{"condition": {"event": {"types": ["view"]}}}""",
            "name", "is required"
        },
        {
            """{"name": "   ", "condition": {"event": {"types": ["view"]}}}""",
            "name", "is required"
        },
        {
            """{"name": 7, "condition": {"event": {"types": ["view"]}}}""",
            "name", "is required"
        },
        {
            """{"name": "x", "condition": [{"event": {"types": ["view"]}}]}""",
            "condition", "is required"
        },
        {
            """{"name": "x"}""",
            "condition", "is required"
        },
        {
            """{"name": "x", "condition": {"event": {"types": ["view"]}}, "owner": "me"}""",
            "owner", "is not a segment field"
        },
        {
            """["name", "condition"]""",
            "body", "must be a JSON object"
        },
        {
            """{"name": "x", "condition": {"event": {"types": ["view"]}""",
            "body", "is not valid JSON"
        },
    };

    [Theory]
    [MemberData(nameof(BadDefinitions))]
    public async Task ABadDefinitionIsA400NamingTheExactOffendingPath(string body, string path, string reason)
    {
        var app = host.NewApp();

        using var response = await app.Api.PostAsync("/api/v1/segments", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Contains(reason, await Http.AssertFieldErrorAsync(response, path), StringComparison.Ordinal);
        Assert.Empty((await app.Api.GetJsonAsync("/api/v1/segments")).AsArray());
    }

    [Fact]
    public async Task ANameOfTwoHundredCharactersIsAcceptedAndOneMoreIsNot()
    {
        var app = host.NewApp();

        using var longest = await app.Api.PostJsonAsync("/api/v1/segments", SegmentCalls.Definition(new string('n', 200), """{"event": {"types": ["view"]}}"""));
        using var tooLong = await app.Api.PostJsonAsync("/api/v1/segments", SegmentCalls.Definition(new string('n', 201), """{"event": {"types": ["view"]}}"""));

        Assert.Equal(HttpStatusCode.Created, longest.StatusCode);
        Assert.Contains("1 to 200 characters", await Http.AssertFieldErrorAsync(tooLong, "name"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryProblemOfADefinitionIsReportedAtOnce()
    {
        var app = host.NewApp();
        var body = """{"name": "x", "condition": {"all": [{"event": {"types": ["buy"]}}, {"event": {"types": ["view"], "within": "soon", "count": {"gte": -1}}}]}}""";

        using var response = await app.Api.PostAsync("/api/v1/segments", new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await Http.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(
            ["condition.all[0].event.types[0]", "condition.all[1].event.within", "condition.all[1].event.count.gte"],
            problem["errors"]!.AsObject().Select(e => e.Key));
    }
}
