using System.Text.Json;

namespace ProductEvents.Grains.Segments;

/// <summary>The parts of the language other definitions reuse: a step (types and product filters), durations and times.</summary>
public static partial class SegmentConditionParser
{
    /// <summary>
    /// An object with <c>types</c> (required) and <c>product</c> filters, as in an event node, and nothing else; null
    /// with the errors added when it is not one.
    /// </summary>
    public static (IReadOnlyList<ProductEventType> Types, IReadOnlyList<ProductFilter> Product)? ParseStep(
        JsonElement node, string path, List<SegmentDefinitionError> errors)
    {
        if (node.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(path, "must be an object with types and optionally product"));
            return null;
        }

        var before = errors.Count;
        List<ProductEventType>? types = null;
        var filters = new List<ProductFilter>();
        foreach (var property in Properties(node, path, errors))
        {
            var propertyPath = Child(path, property.Name);
            if (!ParseStepKey(property, propertyPath, ref types, filters, errors))
            {
                errors.Add(new(propertyPath, "unknown key; a step allows: types, product"));
            }
        }

        RequireTypes(types, path, errors);
        return errors.Count == before ? (types!, filters) : null;
    }

    /// <summary>
    /// Reads a key every step-like node shares (<c>types</c>, <c>product</c>) into <paramref name="types"/> and
    /// <paramref name="filters"/>; false for any other key, which the caller reads or refuses.
    /// </summary>
    private static bool ParseStepKey(
        JsonProperty property, string propertyPath, ref List<ProductEventType>? types, List<ProductFilter> filters,
        List<SegmentDefinitionError> errors)
    {
        switch (property.Name)
        {
            case "types":
                types = ParseTypes(property.Value, propertyPath, errors) ?? [];
                return true;
            case "product":
                ParseProduct(property.Value, propertyPath, filters, errors);
                return true;
            default:
                return false;
        }
    }

    /// <summary>The error of a step-like node without <c>types</c>.</summary>
    private static void RequireTypes(List<ProductEventType>? types, string path, List<SegmentDefinitionError> errors)
    {
        if (types is null)
        {
            errors.Add(new(Child(path, "types"), $"is required: a non-empty array of event types ({ProductEventTypes.AllowedValuesText})"));
        }
    }

    /// <summary>Product filters as an event node's <c>product</c> takes them; null with the errors added when they are not.</summary>
    public static IReadOnlyList<ProductFilter>? ParseProductFilters(JsonElement node, string path, List<SegmentDefinitionError> errors)
    {
        var before = errors.Count;
        var filters = new List<ProductFilter>();
        ParseProduct(node, path, filters, errors);
        return errors.Count == before ? filters : null;
    }

    /// <summary>A duration as <c>within</c> takes it (ISO-8601 or seconds, at most the longest window); null with an error.</summary>
    public static TimeSpan? ParseWithin(JsonElement value, string path, List<SegmentDefinitionError> errors) =>
        ParseDuration(value, path, errors);

    /// <summary>A date-time as <c>since</c> and <c>until</c> take it; null with an error.</summary>
    public static DateTimeOffset? ParseInstant(JsonElement value, string path, List<SegmentDefinitionError> errors) =>
        ParseDateTime(value, path, errors);
}
