using System.Globalization;

namespace ProductEvents.Grains.Automations;

/// <summary>What a message template sees: <c>product</c>, <c>contact</c> and <c>event</c>, as dictionaries and lists.</summary>
public static class TemplateScope
{
    public static Dictionary<string, object?> Build(
        ProductSnapshot? product, string? productId, ContactTemplateData contact,
        IReadOnlyDictionary<string, ProductSnapshot> contactProducts, TriggerEvent? trigger) => new()
    {
        ["product"] = product is null && productId is null ? null : Product(product, productId!),
        ["contact"] = new Dictionary<string, object?>
        {
            ["user_id"] = contact.Contact.IsAnonymous ? null : contact.Contact.Value,
            ["user_key"] = contact.Contact.IsAnonymous ? contact.Contact.Value : null,
            ["event_count"] = contact.EventCount,
            ["first_seen_at"] = contact.FirstSeenAt?.ToString("O", CultureInfo.InvariantCulture),
            ["last_seen_at"] = contact.LastSeenAt?.ToString("O", CultureInfo.InvariantCulture),
            ["viewed_products"] = Products(contact.ViewedProductIds, contactProducts),
            ["cart_products"] = Products(contact.CartProductIds, contactProducts),
            ["purchased_products"] = Products(contact.PurchasedProductIds, contactProducts),
        },
        ["event"] = trigger is null ? null : new Dictionary<string, object?>
        {
            ["id"] = trigger.Id,
            ["kind"] = trigger.Kind,
            ["event_type"] = trigger.EventType is { } type ? ProductEventTypes.Name(type) : null,
            ["product_id"] = trigger.ProductId,
            ["segment_id"] = trigger.SegmentId,
            ["timestamp"] = trigger.Timestamp.ToString("O", CultureInfo.InvariantCulture),
        },
    };

    public static Dictionary<string, object?> Product(ProductSnapshot? product, string productId) => new()
    {
        ["product_id"] = productId,
        ["name"] = product?.Name,
        ["attributes"] = product?.Attributes.ToDictionary(a => a.Key, a => Value(a.Value), StringComparer.Ordinal) ?? [],
    };

    public static object? Value(AttributeValue value) => value.Kind switch
    {
        AttributeKind.Number => decimal.TryParse(value.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : value.AsNumber(),
        AttributeKind.Boolean => value.AsBoolean(),
        AttributeKind.String => value.Text,
        _ => null,
    };

    private static List<object?> Products(IReadOnlyList<string> ids, IReadOnlyDictionary<string, ProductSnapshot> snapshots) =>
        [.. ids.Select(id => (object?)Product(snapshots.GetValueOrDefault(id), id))];
}
