using System.Collections.ObjectModel;
using ProductEvents.Abstractions;
using ProductEvents.Api.EventLog;
using ProductEvents.Storage.EventLog;

namespace ProductEvents.Api.Tests.EventLog;

[Trait("Category", "Unit")]
public sealed class AttributeJsonTests
{
    [Fact]
    public void EveryKindOfValueRoundTrips()
    {
        var attributes = new Dictionary<string, AttributeValue>(StringComparer.Ordinal)
        {
            ["name"] = AttributeValue.FromString("Shoe \"Runner\" ü"),
            ["price"] = AttributeValue.FromNumberText("19.90"),
            ["promo"] = AttributeValue.True,
            ["stock"] = AttributeValue.False,
            ["gone"] = AttributeValue.Null,
        };

        var json = AttributeJson.Serialize(attributes);

        Assert.Equal("""{"name":"Shoe \u0022Runner\u0022 \u00FC","price":19.90,"promo":true,"stock":false,"gone":null}""", json);
        Assert.Equal(attributes, AttributeJson.Deserialize(json));
    }

    [Fact]
    public void EachCallWritesOnlyItsOwnAttributes()
    {
        var many = new Dictionary<string, AttributeValue> { ["a"] = AttributeValue.FromString(new string('x', 1000)), ["b"] = AttributeValue.True };
        var one = new ReadOnlyDictionary<string, AttributeValue>(new Dictionary<string, AttributeValue> { ["c"] = AttributeValue.FromNumberText("1") });

        Assert.StartsWith("""{"a":"xxx""", AttributeJson.Serialize(many));
        Assert.Equal("""{"c":1}""", AttributeJson.Serialize(one));
        Assert.Equal("{}", AttributeJson.Serialize(new Dictionary<string, AttributeValue>()));
    }
}
