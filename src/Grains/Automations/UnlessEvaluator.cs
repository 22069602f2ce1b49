using ProductEvents.Grains.Contacts;

namespace ProductEvents.Grains.Automations;

/// <summary>
/// Evaluates an <see cref="UnlessCondition"/> with <see cref="SegmentEvaluator"/>. A <c>same_product</c> event node sees
/// only the trigger product's events with an event time after the trigger's, so a purchase that arrives late but
/// happened after the add to cart still counts, and one from before it does not.
/// </summary>
public static class UnlessEvaluator
{
    public static bool Holds(
        UnlessCondition unless, ContactState contact, IReadOnlyDictionary<string, ProductSnapshot> products,
        string? triggerProductId, DateTimeOffset triggerTime, DateTimeOffset now)
    {
        ContactState? afterTrigger = null;
        return Evaluate(unless.Condition, "unless");

        bool Evaluate(SegmentCondition node, string path) => node switch
        {
            AllCondition all => all.Items.Select((item, i) => Evaluate(item, $"{path}.all[{i}]")).ToList().All(x => x),
            AnyCondition any => any.Items.Select((item, i) => Evaluate(item, $"{path}.any[{i}]")).ToList().Any(x => x),
            NotCondition not => !Evaluate(not.Inner, $"{path}.not"),
            EventCondition e => SegmentEvaluator.Evaluate(
                e,
                unless.SameProductPaths.Contains($"{path}.event") ? afterTrigger ??= AfterTrigger(contact, triggerProductId, triggerTime) : contact,
                products,
                now).IsMember,
            _ => throw new ArgumentException($"Unknown condition node {node.GetType().Name}.", nameof(unless)),
        };
    }

    /// <summary>The contact's interactions with one product, keeping only event times after <paramref name="after"/>.</summary>
    public static ContactState AfterTrigger(ContactState contact, string? productId, DateTimeOffset after)
    {
        var view = new ContactState { EventCount = contact.EventCount, FirstSeenAt = contact.FirstSeenAt, LastSeenAt = contact.LastSeenAt };
        if (productId is null || !contact.Interactions.TryGetValue(productId, out var byType))
        {
            return view;
        }

        var kept = new ProductInteractions();
        foreach (var interaction in byType.Items)
        {
            var times = interaction.Recent.Where(t => t > after).ToList();
            if (times.Count == 0 && interaction.LastAt > after)
            {
                // More events than the kept times: the newest is still known.
                times.Add(interaction.LastAt);
            }

            if (times.Count > 0)
            {
                kept.Add(new Interaction { Type = interaction.Type, Count = times.Count, FirstAt = times[0], LastAt = times[^1], LastSeq = interaction.LastSeq, Recent = times });
            }
        }

        if (kept.Count > 0)
        {
            view.Interactions[productId] = kept;
            view.InteractionCount = kept.Count;
        }

        return view;
    }
}
