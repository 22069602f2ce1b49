using System.Text.Json.Nodes;

namespace ProductEvents.Automations.Tests.Support;

/// <summary>Automation definitions the tests start from.</summary>
public static class Definitions
{
    public const string WebhookSecret = "whsec-test-1234";

    public static JsonObject AbandonedCart(Uri receiver, string wait = "PT3H", string template = "Still thinking about {{ product.name }} at {{ product.attributes.price | format_number: '0.00' }}?") => new()
    {
        ["name"] = "Abandoned cart",
        ["trigger"] = new JsonObject { ["event"] = new JsonObject { ["types"] = new JsonArray("add to cart") } },
        ["wait"] = wait,
        ["unless"] = new JsonObject { ["event"] = new JsonObject { ["types"] = new JsonArray("purchase"), ["same_product"] = true } },
        ["action"] = Webhook(receiver, template),
    };

    public static JsonObject Webhook(Uri receiver, string template) => new()
    {
        ["webhook"] = new JsonObject { ["url"] = receiver.ToString(), ["secret"] = WebhookSecret, ["template"] = template },
    };
}
