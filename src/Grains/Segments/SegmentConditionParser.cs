using System.Text.Json;
using ProductEvents.Abstractions;

namespace ProductEvents.Grains.Segments;

/// <summary>
/// Reads and validates a condition of the segment definition language. Every problem is reported, each with the path of
/// the offending value (<c>condition.all[1].event.types[0]</c>); a field name that is not a plain word appears as
/// <c>product["unit price"]</c>.
/// </summary>
public static class SegmentConditionParser
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
            switch (property.Name)
            {
                case "types":
                    types = ParseTypes(property.Value, propertyPath, errors) ?? [];
                    break;
                case "product":
                    ParseProduct(property.Value, propertyPath, filters, errors);
                    break;
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

        if (types is null)
        {
            errors.Add(new(Child(path, "types"), $"is required: a non-empty array of event types ({ProductEventTypes.AllowedValuesText})"));
        }

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

    private static void ParseProduct(JsonElement product, string path, List<ProductFilter> filters, List<SegmentDefinitionError> errors)
    {
        if (product.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(path, """must be an object of field → {operator: value}, for example {"category": {"eq": "shoes"}}"""));
            return;
        }

        foreach (var field in Properties(product, path, errors))
        {
            var fieldPath = Child(path, field.Name);
            if (field.Name.Length == 0)
            {
                errors.Add(new(fieldPath, "a field name must not be empty"));
                continue;
            }

            if (field.Value.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new(fieldPath, $"must be an object of one or more operators: {OperatorsText}"));
                continue;
            }

            var operators = Properties(field.Value, fieldPath, errors);
            if (operators.Count == 0)
            {
                errors.Add(new(fieldPath, $"must hold at least one operator: {OperatorsText}"));
                continue;
            }

            // Several operators on one field must all hold, as in {"price": {"gte": 50, "lte": 200}}.
            var parsed = new List<(ProductFilter Filter, string Path)>();
            foreach (var operand in operators)
            {
                var operandPath = Child(fieldPath, operand.Name);
                if (!Operators.ContainsKey(operand.Name))
                {
                    errors.Add(new(operandPath, $"unknown operator; allowed: {OperatorsText}"));
                }
                else if (ParseFilter(field.Name, operand, operandPath, errors) is { } filter)
                {
                    parsed.Add((filter, operandPath));
                }
            }

            if (parsed.Count == operators.Count && !IsEmptyRange(parsed, errors))
            {
                filters.AddRange(parsed.Select(p => p.Filter));
            }
        }
    }

    /// <summary>
    /// True, with an error at the upper bound, when a field's numeric lower and upper bounds leave no value between
    /// them ({"gte": 200, "lte": 50}): such a filter can never match, which is a mistake worth a 400.
    /// </summary>
    private static bool IsEmptyRange(List<(ProductFilter Filter, string Path)> filters, List<SegmentDefinitionError> errors)
    {
        foreach (var (lower, _) in filters.Where(f => f.Filter.Operator is FilterOperator.Gt or FilterOperator.Gte))
        {
            foreach (var (upper, upperPath) in filters.Where(f => f.Filter.Operator is FilterOperator.Lt or FilterOperator.Lte))
            {
                if (lower.Values[0].AsNumber() is not { } from || upper.Values[0].AsNumber() is not { } to)
                {
                    continue;
                }

                var strict = lower.Operator == FilterOperator.Gt || upper.Operator == FilterOperator.Lt;
                if (from > to || (from == to && strict))
                {
                    errors.Add(new(upperPath, $"leaves no value that also satisfies {(lower.Operator == FilterOperator.Gt ? "gt" : "gte")}"));
                    return true;
                }
            }
        }

        return false;
    }

    private static ProductFilter? ParseFilter(string field, JsonProperty operand, string path, List<SegmentDefinitionError> errors)
    {
        var op = Operators[operand.Name];
        var value = operand.Value;
        var values = new List<AttributeValue>();
        switch (op)
        {
            case FilterOperator.Eq or FilterOperator.Ne:
                if (!TryScalar(value, out var scalar))
                {
                    errors.Add(new(path, "must be a string, a number or a boolean"));
                    return null;
                }

                values.Add(scalar);
                break;
            case FilterOperator.Lt or FilterOperator.Lte or FilterOperator.Gt or FilterOperator.Gte:
                if (value.ValueKind is not (JsonValueKind.Number or JsonValueKind.String) || !TryScalar(value, out var bound))
                {
                    errors.Add(new(path, "must be a number or a string"));
                    return null;
                }

                values.Add(bound);
                break;
            case FilterOperator.Contains:
                if (value.ValueKind != JsonValueKind.String)
                {
                    errors.Add(new(path, "must be a string"));
                    return null;
                }

                values.Add(AttributeValue.FromString(value.GetString()!));
                break;
            case FilterOperator.In:
                if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
                {
                    errors.Add(new(path, "must be a non-empty array of strings, numbers or booleans"));
                    return null;
                }

                if (value.GetArrayLength() > SegmentLimits.MaxInValues)
                {
                    errors.Add(new(path, $"holds {value.GetArrayLength()} values; at most {SegmentLimits.MaxInValues} are allowed"));
                    return null;
                }

                var i = 0;
                var failed = false;
                foreach (var item in value.EnumerateArray())
                {
                    if (TryScalar(item, out var member))
                    {
                        values.Add(member);
                    }
                    else
                    {
                        errors.Add(new($"{path}[{i}]", "must be a string, a number or a boolean"));
                        failed = true;
                    }

                    i++;
                }

                if (failed)
                {
                    return null;
                }

                break;
            default:
                if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    errors.Add(new(path, "must be true or false"));
                    return null;
                }

                values.Add(AttributeValue.FromBoolean(value.GetBoolean()));
                break;
        }

        // The product's name and id are strings: a number here would never match, which is a mistake worth a 400.
        if (op != FilterOperator.Exists
            && field is ProductFilter.NameField or ProductFilter.ProductIdField
            && values.Any(v => v.Kind != AttributeKind.String))
        {
            errors.Add(new(path, $"{field} is a string; compare it with a string"));
            return null;
        }

        return new ProductFilter(field, op, values);
    }

    private static TimeSpan? ParseDuration(JsonElement value, string path, List<SegmentDefinitionError> errors)
    {
        TimeSpan duration;
        if (value.ValueKind == JsonValueKind.String)
        {
            if (!IsoDuration.TryParse(value.GetString(), out duration, out var usesYearsOrMonths))
            {
                errors.Add(new(path, usesYearsOrMonths
                    ? "years and months are not allowed because their length varies; use days or weeks, for example P30D or P4W"
                    : DurationText));
                return null;
            }
        }
        else if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var seconds))
        {
            if (seconds > SegmentLimits.MaxWithinDays * 86_400d)
            {
                errors.Add(new(path, $"must be at most {SegmentLimits.MaxWithinDays} days"));
                return null;
            }

            duration = TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
        }
        else
        {
            errors.Add(new(path, DurationText));
            return null;
        }

        if (duration <= TimeSpan.Zero)
        {
            errors.Add(new(path, "must be longer than zero"));
            return null;
        }

        if (duration > TimeSpan.FromDays(SegmentLimits.MaxWithinDays))
        {
            errors.Add(new(path, $"must be at most {SegmentLimits.MaxWithinDays} days"));
            return null;
        }

        return duration;
    }

    private static DateTimeOffset? ParseDateTime(JsonElement value, string path, List<SegmentDefinitionError> errors)
    {
        if (value.ValueKind == JsonValueKind.String && IsoDateTime.TryParse(value.GetString(), out var parsed))
        {
            return parsed;
        }

        errors.Add(new(path, "must be an ISO-8601 date-time such as 2026-01-31T08:00:00Z (UTC when no offset is given)"));
        return null;
    }

    private static CountRule? ParseCount(JsonElement count, string path, List<SegmentDefinitionError> errors)
    {
        const string shape = """must be an object with gte, lte or eq, for example {"gte": 2}""";
        if (count.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(path, shape));
            return null;
        }

        var before = errors.Count;
        long? gte = null, lte = null, eq = null;
        bool hasGte = false, hasLte = false, hasEq = false;
        var properties = Properties(count, path, errors);
        foreach (var property in properties)
        {
            var propertyPath = Child(path, property.Name);
            if (property.Name is not ("gte" or "lte" or "eq"))
            {
                errors.Add(new(propertyPath, "unknown key; allowed: gte, lte, eq"));
                continue;
            }

            long? bound = property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt64(out var n) && n >= 0 ? n : null;
            if (bound is null)
            {
                errors.Add(new(propertyPath, "must be a non-negative integer"));
            }

            switch (property.Name)
            {
                case "gte":
                    hasGte = true;
                    gte = bound;
                    break;
                case "lte":
                    hasLte = true;
                    lte = bound;
                    break;
                default:
                    hasEq = true;
                    eq = bound;
                    break;
            }
        }

        if (properties.Count == 0)
        {
            errors.Add(new(path, shape));
        }

        if (hasEq && (hasGte || hasLte))
        {
            errors.Add(new(Child(path, "eq"), "cannot be combined with gte or lte"));
        }

        if (gte > lte)
        {
            errors.Add(new(Child(path, "lte"), "must not be less than gte"));
        }

        return errors.Count == before ? new CountRule(gte, lte, eq) : null;
    }

    private static FollowRule? ParseFollow(JsonElement follow, string path, List<SegmentDefinitionError> errors)
    {
        if (follow.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(path, """must be an object with types and optionally within, for example {"types": ["purchase"], "within": "PT3H"}"""));
            return null;
        }

        var before = errors.Count;
        List<ProductEventType>? types = null;
        TimeSpan? within = null;
        foreach (var property in Properties(follow, path, errors))
        {
            var propertyPath = Child(path, property.Name);
            switch (property.Name)
            {
                case "types":
                    types = ParseTypes(property.Value, propertyPath, errors) ?? [];
                    break;
                case "within":
                    within = ParseDuration(property.Value, propertyPath, errors);
                    break;
                default:
                    errors.Add(new(propertyPath, "unknown key; not_followed_by allows: types, within"));
                    break;
            }
        }

        if (types is null)
        {
            errors.Add(new(Child(path, "types"), $"is required: a non-empty array of event types ({ProductEventTypes.AllowedValuesText})"));
        }

        return errors.Count == before ? new FollowRule(types!, within) : null;
    }

    private static bool TryScalar(JsonElement value, out AttributeValue scalar)
    {
        scalar = value.ValueKind switch
        {
            JsonValueKind.String => AttributeValue.FromString(value.GetString()!),
            JsonValueKind.Number => AttributeValue.FromNumberText(value.GetRawText()),
            JsonValueKind.True => AttributeValue.True,
            JsonValueKind.False => AttributeValue.False,
            _ => AttributeValue.Null,
        };
        return scalar.Kind != AttributeKind.Null;
    }

    /// <summary>The object's properties; a repeated key is an error (JSON readers disagree on which one wins).</summary>
    private static List<JsonProperty> Properties(JsonElement element, string path, List<SegmentDefinitionError> errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var properties = new List<JsonProperty>();
        foreach (var property in element.EnumerateObject())
        {
            if (seen.Add(property.Name))
            {
                properties.Add(property);
            }
            else
            {
                errors.Add(new(Child(path, property.Name), "duplicate key"));
            }
        }

        return properties;
    }

    private static string Child(string path, string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')
            ? $"{path}.{name}"
            : $"{path}[\"{name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"]";
}
