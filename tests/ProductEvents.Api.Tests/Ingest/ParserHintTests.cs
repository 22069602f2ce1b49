using System.Text.Json;
using ProductEvents.Abstractions;
using ProductEvents.Api.Ingest;

namespace ProductEvents.Api.Tests.Ingest;

/// <summary>The common mistakes get an answer that says what works.</summary>
[Trait("Category", "Unit")]
public sealed class ParserHintTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);

    private static Dictionary<string, string[]> Errors(string json)
    {
        using var document = JsonDocument.Parse(json);
        Assert.Null(ProductEventParser.Parse(document.RootElement, "app", Now, out var errors));
        return errors!;
    }

    [Fact]
    public void ABatchBodySentToTheSingleEventEndpointPointsToBatch()
    {
        var errors = Errors("""{"events": [{"product_id": "p", "user_id": "u", "event_type": "view"}]}""");

        var reason = Assert.Single(Assert.Single(errors).Value);
        Assert.Equal("events", errors.Keys.Single());
        Assert.Contains("/api/v1/product-events/batch", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1764151200000")]
    [InlineData("\"1764151200000\"")]
    public void ATimestampInMillisecondsSaysSoAndGivesTheSeconds(string timestamp)
    {
        var errors = Errors($$"""{"product_id": "p", "user_id": "u", "event_type": "view", "timestamp": {{timestamp}}}""");

        var reason = Assert.Single(errors["timestamp"]);
        Assert.Contains("milliseconds", reason, StringComparison.Ordinal);
        Assert.Contains("1764151200", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("add-to-cart", ProductEventType.AddToCart)]
    [InlineData("Checkout-Option", ProductEventType.CheckoutOption)]
    [InlineData("promo_click", ProductEventType.PromoClick)]
    public void HyphenatedEventTypesAreAccepted(string name, ProductEventType expected)
    {
        using var document = JsonDocument.Parse($$"""{"product_id": "p", "user_id": "u", "event_type": "{{name}}"}""");

        var record = ProductEventParser.Parse(document.RootElement, "app", Now, out var errors);

        Assert.Null(errors);
        Assert.Equal(expected, record!.EventType);
    }

    [Theory]
    [InlineData("productId", "product_id")]
    [InlineData("userId", "user_id")]
    [InlineData("EventType", "event_type")]
    [InlineData("custom-data", "custom_data")]
    public void AReservedKeySpelledAnotherWayNamesTheSpellingThatWorks(string key, string reserved)
    {
        var errors = Errors($$"""{"product_id": "p", "user_id": "u", "event_type": "view", "{{key}}": "x"}""");

        var reason = Assert.Single(errors[key]);
        Assert.Contains(reserved, reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AnAttributeUnlikeAReservedKeyIsStillAnAttribute()
    {
        using var document = JsonDocument.Parse("""{"product_id": "p", "user_id": "u", "event_type": "view", "productColor": "red"}""");

        var record = ProductEventParser.Parse(document.RootElement, "app", Now, out var errors);

        Assert.Null(errors);
        Assert.Equal(AttributeValue.FromString("red"), record!.Attributes["productColor"]);
    }
}
