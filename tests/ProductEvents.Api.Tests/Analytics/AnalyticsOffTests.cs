using System.Net;
using ProductEvents.Api.Tests.Support;

namespace ProductEvents.Api.Tests.Analytics;

/// <summary>With <c>ProductEvents:Ingest:Analytics</c> false, ingest works and every analytics endpoint answers 404.</summary>
public sealed class AnalyticsOffTests
{
    [Fact]
    public async Task EveryAnalyticsEndpointAnswers404AndIngestStillWorks()
    {
        await using var host = await new TestHostBuilder()
            .WithApp(Keys.Alpha, Keys.AlphaSecret)
            .WithSetting("ProductEvents:Ingest:Analytics", "false")
            .StartAsync();
        var api = new ApiClient(host.CreateClient(), Keys.AlphaSecret);
        var user = Ids.User();
        await api.IngestAsync(Bodies.Event(Ids.Product(), user, "view"));

        foreach (var path in new[] { "/api/v1/analytics/events", "/api/v1/analytics/top-products?type=view", $"/api/v1/analytics/contacts/{user}/journey" })
        {
            using var response = await api.GetAsync(path);
            var problem = await Http.AssertProblemAsync(response, HttpStatusCode.NotFound);
            Assert.Equal("Analytics are off", problem["title"]!.GetValue<string>());
        }

        using var funnel = await api.PostJsonAsync("/api/v1/analytics/funnels", """{"steps":[{"types":["view"]},{"types":["purchase"]}]}""");
        await Http.AssertProblemAsync(funnel, HttpStatusCode.NotFound);
        using var search = await api.PostJsonAsync("/api/v1/contacts/search", """{"condition":{"event":{"types":["view"]}}}""");
        await Http.AssertProblemAsync(search, HttpStatusCode.NotFound);
        Assert.Equal(user, (await api.GetJsonAsync($"/api/v1/contacts/{user}"))["user_id"]!.GetValue<string>());
    }
}
