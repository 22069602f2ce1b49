using ProductEvents.Api.Apps;
using ProductEvents.Silo.Maintenance;

namespace ProductEvents.Api.Tests.Privacy;

[Trait("Category", "Unit")]
public sealed class AppRetentionTests
{
    [Theory]
    [InlineData("P400D", 400)]
    [InlineData("P52W", 364)]
    [InlineData("P1D", 1)]
    public void RetentionIsADurationOfDaysOrWeeks(string text, int days)
    {
        var apps = new AppsOptions { Apps = { ["shop"] = new AppOptions { SecretKey = "s", Retention = text }, ["other"] = new AppOptions { SecretKey = "t" } } };

        Assert.True(new AppRetentionValidator().Validate(null, apps).Succeeded);
        Assert.Equal(TimeSpan.FromDays(days), AppRetention.Of(apps)["shop"]);
        Assert.False(AppRetention.Of(apps).ContainsKey("other"));
    }

    [Theory]
    [InlineData("P1Y", "years or months")]
    [InlineData("P13M", "years or months")]
    [InlineData("PT12H", "minimum of one day")]
    [InlineData("400 days", "not an ISO-8601 duration")]
    public void StartUpRefusesARetentionThatIsNotOne(string text, string reason)
    {
        var apps = new AppsOptions { Apps = { ["shop"] = new AppOptions { SecretKey = "s", Retention = text } } };

        var result = new AppRetentionValidator().Validate(null, apps);

        Assert.True(result.Failed);
        Assert.Contains("ProductEvents:Apps:shop:Retention", result.FailureMessage);
        Assert.Contains(reason, result.FailureMessage);
    }
}
