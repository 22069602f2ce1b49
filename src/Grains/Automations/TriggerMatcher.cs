namespace ProductEvents.Grains.Automations;

/// <summary>Whether one product event is an automation's trigger: its type is listed and its product passes the filters.</summary>
public static class TriggerMatcher
{
    public static bool Matches(EventCondition trigger, ProductEventRecord entry, ProductSnapshot? product) =>
        trigger.Types.Contains(entry.EventType) && ProductFilterMatcher.PassesAll(trigger.Product, entry.ProductId, product);

    /// <summary>
    /// Whether the entry reached the log after the automation existed: a replay after a restart re-checks recent
    /// entries against today's automations, and creating one must not fire it for what came before (as with segments).
    /// </summary>
    public static bool IsNewTo(CompiledAutomation automation, ProductEventRecord entry) =>
        // Received, not event time: a server clock like the segment path's change time; a late-sent event is still new.
        entry.ReceivedAt >= automation.CreatedAt;

    /// <summary>Whether matching needs the product's snapshot (a filter on anything but the id, for a listed type).</summary>
    public static bool NeedsProduct(EventCondition trigger, ProductEventRecord entry) =>
        trigger.Types.Contains(entry.EventType) && trigger.Product.Any(ProductFilterMatcher.NeedsSnapshot);
}
