using System.Text.Json;
using System.Text.Json.Nodes;
using ProductEvents.Abstractions;
using ProductEvents.Api.Ingest;

namespace ProductEvents.Api.Tests.Ingest;

[Trait("Category", "Unit")]
public sealed class ProductEventParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ValidEventBecomesARecordOfItsApp()
    {
        var record = ParseValid("""
            {"product_id": "sku-1", "event_type": "add to cart", "user_id": "u-1", "name": "Red shoe",
             "timestamp": "2026-11-25T09:30:00Z", "event_id": "e-1", "color": "red", "price": 19.90,
             "in_stock": true, "discount": null, "custom_data": {"cart": {"items": 2}}}
            """);

        Assert.Equal("app", record.AppId);
        Assert.Equal("sku-1", record.ProductId);
        Assert.Equal(ProductEventType.AddToCart, record.EventType);
        Assert.Equal("u-1", record.UserId);
        Assert.Null(record.UserKey);
        Assert.Equal("Red shoe", record.Name);
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 9, 30, 0, TimeSpan.Zero), record.Timestamp);
        Assert.Equal(Now, record.ReceivedAt);
        Assert.Equal("e-1", record.EventId);
        Assert.Equal(0, record.Seq);
        Assert.NotEqual(Guid.Empty, record.Id);
        Assert.Equal(AttributeValue.FromString("red"), record.Attributes["color"]);
        Assert.Equal(AttributeValue.FromNumberText("19.90"), record.Attributes["price"]);
        Assert.Equal(AttributeValue.True, record.Attributes["in_stock"]);
        Assert.Equal(AttributeValue.Null, record.Attributes["discount"]);
        Assert.Equal(4, record.Attributes.Count);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"cart": {"items": 2}}"""), JsonNode.Parse(record.CustomDataJson!)));
    }

    [Fact]
    public void KnownFieldsAreNotAttributes()
    {
        var record = ParseValid("""
            {"product_id": "p", "event_type": 1, "user_id": "u", "user_key": "k", "name": "n",
             "timestamp": 1764150000, "event_id": "e", "custom_data": {}}
            """);

        Assert.Empty(record.Attributes);
    }

    [Fact]
    public void TimestampDefaultsToNow()
    {
        var record = ParseValid("""{"product_id": "p", "event_type": 1, "user_id": "u"}""");

        Assert.Equal(Now, record.Timestamp);
        Assert.Null(record.Name);
        Assert.Null(record.EventId);
        Assert.Null(record.CustomDataJson);
    }

    [Theory]
    [InlineData("\"add to cart\"", ProductEventType.AddToCart)]
    [InlineData("\"ADD_TO_CART\"", ProductEventType.AddToCart)]
    [InlineData("\"promo_click\"", ProductEventType.PromoClick)]
    [InlineData("2", ProductEventType.Purchase)]
    [InlineData("\"2\"", ProductEventType.Purchase)]
    [InlineData("16", ProductEventType.PromoClick)]
    public void EventTypeIsTakenByNameOrId(string json, ProductEventType expected)
    {
        var record = ParseValid($$"""{"product_id": "p", "event_type": {{json}}, "user_id": "u"}""");

        Assert.Equal(expected, record.EventType);
    }

    [Theory]
    [InlineData("\"buy\"")]
    [InlineData("0")]
    [InlineData("17")]
    [InlineData("\"17\"")]
    [InlineData("1.5")]
    [InlineData("true")]
    [InlineData("{}")]
    [InlineData("[]")]
    [InlineData("\"\"")]
    public void UnknownEventTypeIsRefusedWithTheAllowedValues(string json)
    {
        var errors = ParseInvalid($$"""{"product_id": "p", "event_type": {{json}}, "user_id": "u"}""");

        var reason = Assert.Single(errors["event_type"]);
        Assert.Contains("1 (add to cart)", reason, StringComparison.Ordinal);
        Assert.Contains("16 (promo click)", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"product_id": "p", "user_id": "u"}""")]
    [InlineData("""{"product_id": "p", "event_type": null, "user_id": "u"}""")]
    public void MissingEventTypeIsRefusedWithTheAllowedValues(string json)
    {
        var errors = ParseInvalid(json);

        Assert.Contains("add to cart", Assert.Single(errors["event_type"]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"event_type": 1, "user_id": "u"}""")]
    [InlineData("""{"product_id": null, "event_type": 1, "user_id": "u"}""")]
    [InlineData("""{"product_id": "", "event_type": 1, "user_id": "u"}""")]
    [InlineData("""{"product_id": "   ", "event_type": 1, "user_id": "u"}""")]
    [InlineData("""{"product_id": true, "event_type": 1, "user_id": "u"}""")]
    [InlineData("""{"product_id": {"id": 1}, "event_type": 1, "user_id": "u"}""")]
    [InlineData("""{"product_id": 1.5, "event_type": 1, "user_id": "u"}""")]
    public void MissingEmptyOrNonTextProductIdIsRefused(string json)
    {
        var errors = ParseInvalid(json);

        Assert.Equal(new[] { "product_id" }, errors.Keys);
    }

    [Fact]
    public void IntegerProductAndUserIdsAreTakenAsText()
    {
        var record = ParseValid("""{"product_id": 12345, "event_type": 1, "user_id": 42}""");

        Assert.Equal("12345", record.ProductId);
        Assert.Equal("42", record.UserId);
    }

    [Fact]
    public void ProductIdOfMaximumLengthIsAccepted()
    {
        var id = new string('p', IngestLimits.MaxProductIdLength);

        Assert.Equal(id, ParseValid(Event(("product_id", id))).ProductId);
    }

    [Fact]
    public void ProductIdOverMaximumLengthIsRefused()
    {
        var errors = ParseInvalid(Event(("product_id", new string('p', IngestLimits.MaxProductIdLength + 1))));

        Assert.Contains("255", Assert.Single(errors["product_id"]), StringComparison.Ordinal);
    }

    [Fact]
    public void NeitherUserIdNorUserKeyIsRefused()
    {
        var errors = ParseInvalid("""{"product_id": "p", "event_type": 1}""");

        Assert.Equal(new[] { "user_id" }, errors.Keys);
        Assert.Contains("user_key", Assert.Single(errors["user_id"]), StringComparison.Ordinal);
    }

    [Fact]
    public void UserKeyAloneIdentifiesAnAnonymousContact()
    {
        var record = ParseValid("""{"product_id": "p", "event_type": 1, "user_key": "visitor-9"}""");

        Assert.Null(record.UserId);
        Assert.Equal("visitor-9", record.UserKey);
        Assert.Equal(ContactRef.Visitor("visitor-9"), record.Contact);
    }

    [Fact]
    public void UserIdWinsOverUserKeyAsTheContact()
    {
        var record = ParseValid("""{"product_id": "p", "event_type": 1, "user_id": "u-7", "user_key": "visitor-9"}""");

        Assert.Equal(ContactRef.User("u-7"), record.Contact);
    }

    [Theory]
    [InlineData("user_id")]
    [InlineData("user_key")]
    public void UserIdentityOverMaximumLengthIsRefused(string field)
    {
        var errors = ParseInvalid(Event((field, new string('u', IngestLimits.MaxUserIdLength + 1))));

        Assert.Equal(new[] { field }, errors.Keys);
    }

    [Fact]
    public void EmptyUserIdIsRefusedEvenWithAUserKey()
    {
        var errors = ParseInvalid("""{"product_id": "p", "event_type": 1, "user_id": "", "user_key": "k"}""");

        Assert.Equal(new[] { "user_id" }, errors.Keys);
    }

    [Fact]
    public void EventIdOfMaximumLengthIsAccepted()
    {
        var id = new string('e', IngestLimits.MaxEventIdLength);

        Assert.Equal(id, ParseValid(Event(("event_id", id))).EventId);
    }

    [Fact]
    public void EventIdOverMaximumLengthIsRefused()
    {
        var errors = ParseInvalid(Event(("event_id", new string('e', IngestLimits.MaxEventIdLength + 1))));

        Assert.Contains("128", Assert.Single(errors["event_id"]), StringComparison.Ordinal);
    }

    [Fact]
    public void NameOverMaximumLengthIsRefused()
    {
        var errors = ParseInvalid(Event(("name", new string('n', IngestLimits.MaxNameLength + 1))));

        Assert.Equal(new[] { "name" }, errors.Keys);
    }

    [Fact]
    public void NameThatIsNotTextIsRefused()
    {
        var errors = ParseInvalid("""{"product_id": "p", "event_type": 1, "user_id": "u", "name": 5}""");

        Assert.Equal(new[] { "name" }, errors.Keys);
    }

    [Theory]
    [InlineData("\"2026-11-25T09:30:00Z\"", "2026-11-25T09:30:00Z")]
    [InlineData("\"2026-11-25T11:30:00+02:00\"", "2026-11-25T09:30:00Z")]
    [InlineData("\"2026-11-25T09:30:00\"", "2026-11-25T09:30:00Z")]
    [InlineData("\"2026-11-25T09:30:00.123456Z\"", "2026-11-25T09:30:00.123456Z")]
    [InlineData("1795599000", "2026-11-25T09:30:00Z")]
    [InlineData("\"1795599000\"", "2026-11-25T09:30:00Z")]
    [InlineData("1795599000.5", "2026-11-25T09:30:00.5Z")]
    public void TimestampIsTakenAsIsoTextOrUnixSeconds(string json, string expected)
    {
        var record = ParseValid($$"""{"product_id": "p", "event_type": 1, "user_id": "u", "timestamp": {{json}}}""");

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), record.Timestamp);
        Assert.Equal(TimeSpan.Zero, record.Timestamp.Offset);
    }

    [Theory]
    [InlineData("\"yesterday\"")]
    [InlineData("\"26/11/2026\"")]
    [InlineData("\"11/26/2026 10:00\"")]
    [InlineData("\"2026-13-40T00:00:00Z\"")]
    [InlineData("\"\"")]
    [InlineData("true")]
    [InlineData("{}")]
    [InlineData("-5")]
    [InlineData("1795599000000")]
    [InlineData("\"1999-12-31T23:59:59Z\"")]
    [InlineData("\"2026-11-28T10:00:00Z\"")]
    public void BadTimestampIsRefused(string json)
    {
        var errors = ParseInvalid($$"""{"product_id": "p", "event_type": 1, "user_id": "u", "timestamp": {{json}}}""");

        Assert.Equal(new[] { "timestamp" }, errors.Keys);
    }

    [Fact]
    public void TimestampWithinTheFutureSkewIsAccepted()
    {
        var record = ParseValid("""{"product_id": "p", "event_type": 1, "user_id": "u", "timestamp": "2026-11-27T09:00:00Z"}""");

        Assert.Equal(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero), record.Timestamp);
    }

    [Fact]
    public void TimestampKeepsMicroseconds()
    {
        var record = ParseValid("""{"product_id": "p", "event_type": 1, "user_id": "u", "timestamp": "2026-11-25T09:30:00.1234567Z"}""");

        Assert.Equal(new DateTimeOffset(2026, 11, 25, 9, 30, 0, TimeSpan.Zero).AddTicks(1_234_560), record.Timestamp);
    }

    [Theory]
    [InlineData("""{"nested": {"a": 1}}""")]
    [InlineData("""{"nested": [1, 2]}""")]
    [InlineData("""{"nested": []}""")]
    public void NestedAttributeIsRefusedByItsName(string extra)
    {
        var errors = ParseInvalid(Merge(extra));

        Assert.Equal(new[] { "nested" }, errors.Keys);
        Assert.Contains("custom_data", Assert.Single(errors["nested"]), StringComparison.Ordinal);
    }

    [Fact]
    public void AttributesUpToTheLimitAreAccepted()
    {
        var record = ParseValid(EventWithAttributes(IngestLimits.MaxAttributes));

        Assert.Equal(IngestLimits.MaxAttributes, record.Attributes.Count);
    }

    [Fact]
    public void TooManyAttributesAreRefused()
    {
        var errors = ParseInvalid(EventWithAttributes(IngestLimits.MaxAttributes + 1));

        Assert.Contains("100", Assert.Single(errors["attributes"]), StringComparison.Ordinal);
    }

    [Fact]
    public void AttributeValueOfMaximumLengthIsAccepted()
    {
        var value = new string('v', IngestLimits.MaxAttributeStringLength);

        Assert.Equal(value, ParseValid(Event(("color", value))).Attributes["color"].Text);
    }

    [Fact]
    public void AttributeValueOverMaximumLengthIsRefusedByItsName()
    {
        var errors = ParseInvalid(Event(("color", new string('v', IngestLimits.MaxAttributeStringLength + 1))));

        Assert.Equal(new[] { "color" }, errors.Keys);
        Assert.Contains("4096", Assert.Single(errors["color"]), StringComparison.Ordinal);
    }

    [Fact]
    public void AttributeNameOverMaximumLengthIsRefused()
    {
        var errors = ParseInvalid(Event((new string('k', IngestLimits.MaxAttributeKeyLength + 1), "v")));

        var (field, reasons) = Assert.Single(errors);
        Assert.StartsWith("kkkk", field, StringComparison.Ordinal);
        Assert.Contains("128", Assert.Single(reasons), StringComparison.Ordinal);
    }

    [Fact]
    public void AttributeNameOfMaximumLengthIsAccepted()
    {
        var key = new string('k', IngestLimits.MaxAttributeKeyLength);

        Assert.True(ParseValid(Event((key, "v"))).Attributes.ContainsKey(key));
    }

    [Fact]
    public void EmptyAttributeNameIsRefused()
    {
        var errors = ParseInvalid(Merge("""{"": "v"}"""));

        Assert.Single(errors);
    }

    [Theory]
    [InlineData("\"text\"")]
    [InlineData("[1]")]
    [InlineData("5")]
    [InlineData("true")]
    public void CustomDataThatIsNotAnObjectIsRefused(string json)
    {
        var errors = ParseInvalid($$"""{"product_id": "p", "event_type": 1, "user_id": "u", "custom_data": {{json}}}""");

        Assert.Equal(new[] { "custom_data" }, errors.Keys);
    }

    [Fact]
    public void CustomDataMayHoldNestedData()
    {
        var record = ParseValid("""{"product_id": "p", "event_type": 1, "user_id": "u", "custom_data": {"a": [1, {"b": null}]}}""");

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"a": [1, {"b": null}]}"""), JsonNode.Parse(record.CustomDataJson!)));
    }

    [Fact]
    public void CustomDataOverMaximumSizeIsRefused()
    {
        var big = new JsonObject { ["blob"] = new string('x', IngestLimits.MaxCustomDataBytes) };
        var errors = ParseInvalid(Merge(new JsonObject { ["custom_data"] = big }.ToJsonString()));

        Assert.Equal(new[] { "custom_data" }, errors.Keys);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("42")]
    [InlineData("null")]
    public void BodyThatIsNotAnObjectIsRefused(string json)
    {
        var errors = ParseInvalid(json);

        Assert.Equal(new[] { "body" }, errors.Keys);
    }

    [Fact]
    public void EveryProblemIsReportedAtOnce()
    {
        var errors = ParseInvalid("""{"product_id": "", "event_type": "buy", "timestamp": "soon", "nested": {}}""");

        Assert.Equal(new[] { "event_type", "nested", "product_id", "timestamp", "user_id" }, errors.Keys.Order(StringComparer.Ordinal));
    }

    private static ProductEventRecord ParseValid(string json)
    {
        using var document = JsonDocument.Parse(json);
        var record = ProductEventParser.Parse(document.RootElement, "app", Now, out var errors);
        Assert.Null(errors);
        return Assert.IsType<ProductEventRecord>(record);
    }

    private static Dictionary<string, string[]> ParseInvalid(string json)
    {
        using var document = JsonDocument.Parse(json);
        var record = ProductEventParser.Parse(document.RootElement, "app", Now, out var errors);
        Assert.Null(record);
        Assert.NotNull(errors);
        Assert.NotEmpty(errors);
        return errors;
    }

    /// <summary>A valid event with the given top-level keys set (or replaced) to string values.</summary>
    private static string Event(params (string Key, string Value)[] fields)
    {
        var body = new JsonObject { ["product_id"] = "p", ["event_type"] = 1, ["user_id"] = "u" };
        foreach (var (key, value) in fields)
        {
            body[key] = value;
        }

        return body.ToJsonString();
    }

    private static string Merge(string extraJson)
    {
        var body = new JsonObject { ["product_id"] = "p", ["event_type"] = 1, ["user_id"] = "u" };
        foreach (var (key, value) in JsonNode.Parse(extraJson)!.AsObject().ToArray())
        {
            body[key] = value?.DeepClone();
        }

        return body.ToJsonString();
    }

    private static string EventWithAttributes(int count)
    {
        var body = new JsonObject { ["product_id"] = "p", ["event_type"] = 1, ["user_id"] = "u" };
        for (var i = 0; i < count; i++)
        {
            body[$"attr_{i}"] = i;
        }

        return body.ToJsonString();
    }
}
