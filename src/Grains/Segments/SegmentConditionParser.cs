using System.Text.Json;

namespace ProductEvents.Grains.Segments;

/// <summary>
/// Reads and validates a condition of the segment definition language. Every problem is reported, each with the path of
/// the offending value (<c>condition.all[1].event.types[0]</c>); a field name that is not a plain word appears as
/// <c>product["unit price"]</c>.
/// </summary>
public static partial class SegmentConditionParser
{
    private const string NodeKeysText = "all, any, not, event";
    private const string EventKeysText = "types, product, within, since, until, count, not_followed_by";
    private const string OperatorsText = "eq, ne, in, lt, lte, gt, gte, contains, exists";
    private const string DurationText = "must be an ISO-8601 duration such as PT30M, P7D or P2W, or a number of seconds";

    private static readonly Dictionary<string, FilterOperator> Operators = new(StringComparer.Ordinal)
    {
        ["eq"] = FilterOperator.Eq,
        ["ne"] = FilterOperator.Ne,
        ["in"] = FilterOperator.In,
        ["lt"] = FilterOperator.Lt,
        ["lte"] = FilterOperator.Lte,
        ["gt"] = FilterOperator.Gt,
        ["gte"] = FilterOperator.Gte,
        ["contains"] = FilterOperator.Contains,
        ["exists"] = FilterOperator.Exists,
    };

    /// <summary>The condition, or null with at least one error.</summary>
    /// <param name="path">The name of <paramref name="condition"/> in error paths.</param>
    public static SegmentCondition? Parse(JsonElement condition, out IReadOnlyList<SegmentDefinitionError> errors, string path = "condition")
    {
        var found = new List<SegmentDefinitionError>();
        var eventNodes = 0;
        var result = ParseNode(condition, path, 1, found, ref eventNodes);
        errors = found;
        return found.Count == 0 ? result : null;
    }

    private static SegmentCondition? ParseNode(JsonElement node, string path, int depth, List<SegmentDefinitionError> errors, ref int eventNodes)
    {
        if (node.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(path, $"must be an object with exactly one of: {NodeKeysText}"));
            return null;
        }

        if (depth > SegmentLimits.MaxDepth)
        {
            errors.Add(new(path, $"nests deeper than {SegmentLimits.MaxDepth} levels"));
            return null;
        }

        JsonProperty? chosen = null;
        var known = 0;
        var unknown = 0;
        foreach (var property in Properties(node, path, errors))
        {
            if (property.Name is "all" or "any" or "not" or "event")
            {
                known++;
                chosen ??= property;
            }
            else
            {
                unknown++;
                errors.Add(new(Child(path, property.Name), $"unknown key; a condition node has exactly one of: {NodeKeysText}"));
            }
        }

        if (known > 1)
        {
            errors.Add(new(path, $"must hold exactly one of: {NodeKeysText}; combine several conditions in an all or any"));
            return null;
        }

        if (chosen is not { } key)
        {
            if (unknown == 0)
            {
                errors.Add(new(path, $"must hold exactly one of: {NodeKeysText}"));
            }

            return null;
        }

        var keyPath = Child(path, key.Name);
        switch (key.Name)
        {
            case "all":
            case "any":
                var items = ParseItems(key.Value, keyPath, depth, errors, ref eventNodes);
                return items is null ? null : key.Name == "all" ? new AllCondition(items) : new AnyCondition(items);
            case "not":
                var inner = ParseNode(key.Value, keyPath, depth + 1, errors, ref eventNodes);
                return inner is null ? null : new NotCondition(inner);
            default:
                eventNodes++;
                if (eventNodes == SegmentLimits.MaxEventNodes + 1)
                {
                    errors.Add(new(keyPath, $"is one event node too many: a condition holds at most {SegmentLimits.MaxEventNodes}"));
                }

                return ParseEvent(key.Value, keyPath, errors);
        }
    }

    private static List<SegmentCondition>? ParseItems(JsonElement items, string path, int depth, List<SegmentDefinitionError> errors, ref int eventNodes)
    {
        if (items.ValueKind != JsonValueKind.Array || items.GetArrayLength() == 0)
        {
            errors.Add(new(path, "must be a non-empty array of condition nodes"));
            return null;
        }

        if (items.GetArrayLength() > SegmentLimits.MaxItems)
        {
            errors.Add(new(path, $"holds {items.GetArrayLength()} items; at most {SegmentLimits.MaxItems} are allowed"));
            return null;
        }

        var parsed = new List<SegmentCondition>();
        var failed = false;
        var i = 0;
        foreach (var item in items.EnumerateArray())
        {
            var node = ParseNode(item, $"{path}[{i++}]", depth + 1, errors, ref eventNodes);
            if (node is null)
            {
                failed = true;
            }
            else
            {
                parsed.Add(node);
            }
        }

        return failed ? null : parsed;
    }

    private static EventCondition? ParseEvent(JsonElement node, string path, List<SegmentDefinitionError> errors)
    {
        if (node.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(path, "must be an object with types and optionally product, within, since, until, count, not_followed_by"));
            return null;
        }

        var before = errors.Count;
        List<ProductEventType>? types = null;
        var filters = new List<ProductFilter>();
        TimeSpan? within = null;
        DateTimeOffset? since = null;
        DateTimeOffset? until = null;
        var count = CountRule.AtLeastOne;
        FollowRule? follow = null;
        bool hasWithin = false, hasSince = false, hasUntil = false;
        foreach (var property in Properties(node, path, errors))
        {
            var propertyPath = Child(path, property.Name);
            if (ParseStepKey(property, propertyPath, ref types, filters, errors))
            {
                continue;
            }

            switch (property.Name)
            {
                case "within":
                    hasWithin = true;
                    within = ParseDuration(property.Value, propertyPath, errors);
                    break;
                case "since":
                    hasSince = true;
                    since = ParseDateTime(property.Value, propertyPath, errors);
                    break;
                case "until":
                    hasUntil = true;
                    until = ParseDateTime(property.Value, propertyPath, errors);
                    break;
                case "count":
                    count = ParseCount(property.Value, propertyPath, errors) ?? count;
                    break;
                case "not_followed_by":
                    follow = ParseFollow(property.Value, propertyPath, errors);
                    break;
                default:
                    errors.Add(new(propertyPath, $"unknown key; an event node allows: {EventKeysText}"));
                    break;
            }
        }

        RequireTypes(types, path, errors);
        if (hasWithin && (hasSince || hasUntil))
        {
            errors.Add(new(Child(path, "within"), "cannot be combined with since or until: within counts back from now, since and until are fixed times"));
        }

        if (since is { } from && until is { } to && from >= to)
        {
            errors.Add(new(Child(path, "until"), "must be later than since"));
        }

        return errors.Count == before
            ? new EventCondition(types!, filters, within, since, until, count, follow)
            : null;
    }

    private static List<ProductEventType>? ParseTypes(JsonElement types, string path, List<SegmentDefinitionError> errors)
    {
        if (types.ValueKind != JsonValueKind.Array || types.GetArrayLength() == 0)
        {
            errors.Add(new(path, $"must be a non-empty array of event types ({ProductEventTypes.AllowedValuesText})"));
            return null;
        }

        var parsed = new List<ProductEventType>();
        var i = 0;
        foreach (var item in types.EnumerateArray())
        {
            var known = item.ValueKind switch
            {
                JsonValueKind.String => ProductEventTypes.TryParse(item.GetString(), out var named) ? named : (ProductEventType?)null,
                JsonValueKind.Number => item.TryGetInt64(out var id) && ProductEventTypes.TryFromId(id, out var byId) ? byId : null,
                _ => null,
            };
            if (known is not { } type)
            {
                errors.Add(new($"{path}[{i}]", $"{item.GetRawText()} is not an event type; allowed: {ProductEventTypes.AllowedValuesText}"));
            }
            else if (!parsed.Contains(type))
            {
                // A repeated type would match the same events twice.
                parsed.Add(type);
            }

            i++;
        }

        return parsed;
    }
}
