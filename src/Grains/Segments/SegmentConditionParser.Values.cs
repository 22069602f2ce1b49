using System.Text.Json;

namespace ProductEvents.Grains.Segments;

/// <summary>The values of a condition: durations, date-times, counts, follow rules, scalars and property lists.</summary>
public static partial class SegmentConditionParser
{
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

        RequireTypes(types, path, errors);
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
