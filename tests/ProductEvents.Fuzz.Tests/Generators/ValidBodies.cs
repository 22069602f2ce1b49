using System.Text.Json.Nodes;

namespace ProductEvents.Fuzz.Tests.Generators;

/// <summary>
/// A valid body per endpoint, every id made unique by the case's marker, so that a mutation of it gets past the
/// outer checks and reaches the validation of each field.
/// </summary>
public static class ValidBodies
{
    public const string WebhookUrl = "https://hooks.invalid/fuzz";

    public static JsonNode For(FuzzEndpoint endpoint, string marker) => endpoint switch
    {
        FuzzEndpoint.SingleEvent => Event(marker, 0),
        FuzzEndpoint.BatchEvents => new JsonObject { ["events"] = new JsonArray(Event(marker, 0), Event(marker, 1)) },
        FuzzEndpoint.Identify => new JsonObject { ["user_id"] = $"fu-{marker}", ["user_key"] = $"fk-{marker}" },
        FuzzEndpoint.CreateSegment or FuzzEndpoint.UpdateSegment => Segment(marker),
        FuzzEndpoint.CreateAutomation or FuzzEndpoint.UpdateAutomation => Automation(marker),
        FuzzEndpoint.CreateCampaign => Campaign(marker),
        FuzzEndpoint.UserComEvent => UserComEvent(marker),
        _ => throw new ArgumentOutOfRangeException(nameof(endpoint), endpoint, null),
    };

    public static JsonObject Event(string marker, int item) => new()
    {
        ["product_id"] = $"fp-{marker}",
        ["event_type"] = item == 0 ? "add to cart" : "view",
        ["user_id"] = $"fu-{marker}",
        ["name"] = $"Fuzz product {marker}",
        ["timestamp"] = "2025-06-01T12:00:00Z",
        ["event_id"] = $"fe-{marker}-{item}",
        ["price"] = 12.5,
        ["color"] = "red",
        ["in_stock"] = true,
        ["custom_data"] = new JsonObject
        {
            ["note"] = "gift",
            ["sizes"] = new JsonArray(38, 39),
            ["nested"] = new JsonObject { ["level"] = 1, ["ok"] = true },
        },
    };

    public static JsonObject Segment(string marker) => new()
    {
        ["name"] = $"fuzz {marker}",
        ["condition"] = new JsonObject
        {
            ["all"] = new JsonArray(
                new JsonObject
                {
                    ["event"] = new JsonObject
                    {
                        ["types"] = new JsonArray("view", "add to cart"),
                        ["within"] = "P7D",
                        ["product"] = new JsonObject
                        {
                            ["price"] = new JsonObject { ["gte"] = 10, ["lt"] = 100 },
                            ["color"] = new JsonObject { ["in"] = new JsonArray("red", "blue") },
                        },
                        ["count"] = new JsonObject { ["gte"] = 1 },
                    },
                },
                new JsonObject
                {
                    ["not"] = new JsonObject
                    {
                        ["event"] = new JsonObject
                        {
                            ["types"] = new JsonArray("purchase"),
                            ["not_followed_by"] = new JsonObject { ["types"] = new JsonArray("refund"), ["within"] = "PT3H" },
                        },
                    },
                }),
        },
    };

    public static JsonObject Automation(string marker) => new()
    {
        ["name"] = $"fuzz {marker}",
        ["trigger"] = new JsonObject
        {
            ["event"] = new JsonObject
            {
                ["types"] = new JsonArray("add to cart"),
                ["product"] = new JsonObject { ["price"] = new JsonObject { ["gte"] = 10 } },
            },
        },
        ["wait"] = "PT3H",
        ["unless"] = new JsonObject { ["event"] = new JsonObject { ["types"] = new JsonArray("purchase"), ["same_product"] = true } },
        ["action"] = Webhook(),
        ["frequency_cap"] = new JsonObject { ["max"] = 1, ["per"] = "P1D" },
        ["enabled"] = true,
    };

    public static JsonObject Campaign(string marker) => new()
    {
        ["name"] = $"fuzz {marker}",
        ["segment_id"] = FuzzRequest.SegmentPlaceholder,
        ["throttle_per_second"] = 50,
        ["action"] = Webhook(),
    };

    public static JsonObject UserComEvent(string marker) => new()
    {
        ["user_custom_id"] = $"fu-{marker}",
        ["event_type"] = 8,
        ["timestamp"] = 1748779200,
        ["event_id"] = $"fe-{marker}-0",
        ["data"] = new JsonObject
        {
            ["name"] = $"Fuzz product {marker}",
            ["price"] = 3,
            ["custom_data"] = new JsonObject { ["note"] = "gift", ["list"] = new JsonArray(1, "two") },
        },
    };

    private static JsonObject Webhook() => new()
    {
        ["webhook"] = new JsonObject
        {
            ["url"] = WebhookUrl,
            ["secret"] = "whsec-fuzz",
            ["template"] = "Still thinking about {{ product.name }} at {{ product.attributes.price | format_number: '0.00' }}?",
        },
    };
}
