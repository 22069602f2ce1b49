using System.Diagnostics.CodeAnalysis;

namespace ProductEvents.Grains.Contacts;

/// <summary>
/// A contact's interactions with one product, one per event type seen, in the order first seen. An array as long as
/// the types seen (most products of a contact see one or two) instead of a dictionary: a contact keeps one of these per
/// product it touched, so this is the bulk of a contact's memory and snapshot.
/// </summary>
[GenerateSerializer, Alias("pe.ProductInteractions")]
public sealed class ProductInteractions
{
    [Id(0)] public Interaction[] Items { get; set; } = [];

    public int Count => Items.Length;

    public bool Contains(ProductEventType type) => TryGetValue(type, out _);

    public bool TryGetValue(ProductEventType type, [MaybeNullWhen(false)] out Interaction interaction)
    {
        foreach (var item in Items)
        {
            if (item.Type == type)
            {
                interaction = item;
                return true;
            }
        }

        interaction = null;
        return false;
    }

    /// <summary>Adds the interaction of a type not held yet.</summary>
    public void Add(Interaction interaction)
    {
        if (Contains(interaction.Type))
        {
            throw new ArgumentException($"An interaction of type {interaction.Type} is already held.", nameof(interaction));
        }

        Items = [.. Items, interaction];
    }

    public bool Remove(ProductEventType type)
    {
        var at = Array.FindIndex(Items, i => i.Type == type);
        if (at < 0)
        {
            return false;
        }

        Items = [.. Items[..at], .. Items[(at + 1)..]];
        return true;
    }
}
