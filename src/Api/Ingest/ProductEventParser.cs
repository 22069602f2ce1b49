using System.Globalization;
using ProductEvents.Api.Json;

namespace ProductEvents.Api.Ingest;

/// <summary>
/// Reads one product event in the flat shape of <c>userengage('product_event', {...})</c>: the known fields, and every
/// other top-level key as a product attribute. Reports every problem, by field, instead of stopping at the first.
/// </summary>
public static class ProductEventParser
{
    private static readonly HashSet<string> KnownFields = new(StringComparer.Ordinal)
    {
        "product_id", "event_type", "user_id", "user_key", "name", "timestamp", "event_id", "custom_data",
    };

    public static ProductEventRecord? Parse(JsonElement body, string appId, DateTimeOffset now, out Dictionary<string, string[]>? errors)
    {
        var problems = new Problems();
        if (body.ValueKind != JsonValueKind.Object)
        {
            problems.Add("body", "must be a JSON object");
            errors = problems.Errors;
            return null;
        }

        // Whatever the log cannot store or a listing cannot write back is refused before any field is read.
        if (JsonInput.FindProblem(body, "", IngestLimits.MaxCustomDataDepth, level: 0) is { } problem)
        {
            problems.Add(problem.Path, problem.Reason);
            errors = problems.Errors;
            return null;
        }

        if (body.TryGetProperty("events", out var events) && events.ValueKind == JsonValueKind.Array)
        {
            problems.Add("events", "this endpoint takes one event; send {\"events\": [...]} to POST /api/v1/product-events/batch");
            errors = problems.Errors;
            return null;
        }

        var productId = ReadId(body, "product_id", IngestLimits.MaxProductIdLength, required: true, problems);
        var eventType = ReadEventType(body, problems);
        var userId = ReadId(body, "user_id", IngestLimits.MaxUserIdLength, required: false, problems);
        var userKey = ReadId(body, "user_key", IngestLimits.MaxUserIdLength, required: false, problems);
        if (userId is null && userKey is null && !problems.Has("user_id") && !problems.Has("user_key"))
        {
            problems.Add("user_id", "is required unless user_key is given");
        }

        var name = ReadString(body, "name", IngestLimits.MaxNameLength, problems);
        var eventId = ReadId(body, "event_id", IngestLimits.MaxEventIdLength, required: false, problems);
        var timestamp = ReadTimestamp(body, now, problems) ?? now;
        var customData = ReadCustomData(body, problems);
        var attributes = ReadAttributes(body, problems);

        errors = problems.Errors;
        if (errors is not null)
        {
            return null;
        }

        return new ProductEventRecord(
            Seq: 0,
            Id: Guid.CreateVersion7(now),
            appId,
            productId!,
            eventType!.Value,
            userId,
            userKey,
            name,
            TruncateToMicroseconds(timestamp),
            TruncateToMicroseconds(now),
            eventId,
            attributes,
            customData);
    }

    /// <summary>The reserved key <paramref name="key"/> is another spelling of (<c>productId</c>, <c>Event-Type</c>), if any.</summary>
    private static string? ReservedSpelling(string key)
    {
        var folded = Fold(key);
        return KnownFields.FirstOrDefault(field => Fold(field) == folded);

        static string Fold(string name) => name.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
    }

    /// <summary>PostgreSQL keeps microseconds; the memory log keeps the same so both answer alike.</summary>
    public static DateTimeOffset TruncateToMicroseconds(DateTimeOffset t) => new(t.UtcTicks - (t.UtcTicks % 10), TimeSpan.Zero);

    private static string? ReadId(JsonElement body, string field, int maxLength, bool required, Problems problems)
    {
        if (!body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                problems.Add(field, "is required");
            }

            return null;
        }

        string text;
        if (value.ValueKind == JsonValueKind.String)
        {
            text = JsonStrings.ValueText(value);
        }
        else if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number))
        {
            text = number.ToString(CultureInfo.InvariantCulture);
        }
        else
        {
            problems.Add(field, "must be a string (or an integer)");
            return null;
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            problems.Add(field, "must not be empty");
            return null;
        }

        if (text.Length > maxLength)
        {
            problems.Add(field, $"must be at most {maxLength} characters");
            return null;
        }

        return text;
    }

    private static ProductEventType? ReadEventType(JsonElement body, Problems problems)
    {
        if (!body.TryGetProperty("event_type", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            problems.Add("event_type", $"is required; allowed values: {ProductEventTypes.AllowedValuesText}");
            return null;
        }

        var parsed = value.ValueKind switch
        {
            JsonValueKind.String when ProductEventTypes.TryParse(value.GetString(), out var byName) => byName,
            JsonValueKind.Number when value.TryGetInt64(out var id) && ProductEventTypes.TryFromId(id, out var byId) => byId,
            _ => (ProductEventType?)null,
        };
        if (parsed is null)
        {
            problems.Add("event_type", $"is not a known event type; allowed values: {ProductEventTypes.AllowedValuesText}");
        }

        return parsed;
    }

    private static string? ReadString(JsonElement body, string field, int maxLength, Problems problems)
    {
        if (!body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            problems.Add(field, "must be a string");
            return null;
        }

        var text = JsonStrings.ValueText(value);
        if (text.Length > maxLength)
        {
            problems.Add(field, $"must be at most {maxLength} characters");
            return null;
        }

        return text;
    }

    private static DateTimeOffset? ReadTimestamp(JsonElement body, DateTimeOffset now, Problems problems)
    {
        if (!body.TryGetProperty("timestamp", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (TimestampParser.LooksLikeMilliseconds(value, out var seconds))
        {
            problems.Add("timestamp", $"looks like milliseconds since 1970; send unix seconds ({seconds}) or an ISO-8601 date-time");
            return null;
        }

        if (!TimestampParser.TryParse(value, out var timestamp))
        {
            problems.Add("timestamp", "must be an ISO-8601 date-time (2026-11-26T10:00:00Z) or unix seconds");
            return null;
        }

        if (timestamp < IngestLimits.MinTimestamp || timestamp > now + IngestLimits.MaxFutureSkew)
        {
            problems.Add("timestamp", $"must lie between {IngestLimits.MinTimestamp:yyyy-MM-dd} and one day from now (unix seconds, not milliseconds)");
            return null;
        }

        return timestamp;
    }

    private static string? ReadCustomData(JsonElement body, Problems problems)
    {
        if (!body.TryGetProperty("custom_data", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            problems.Add("custom_data", "must be a JSON object");
            return null;
        }

        var raw = value.GetRawText();
        if (raw.Length > IngestLimits.MaxCustomDataBytes)
        {
            problems.Add("custom_data", $"must be at most {IngestLimits.MaxCustomDataBytes} bytes of JSON");
            return null;
        }

        return raw;
    }

    private static Dictionary<string, AttributeValue> ReadAttributes(JsonElement body, Problems problems)
    {
        var attributes = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        foreach (var property in body.EnumerateObject())
        {
            var key = JsonStrings.Name(property);
            if (KnownFields.Contains(key))
            {
                continue;
            }

            if (ReservedSpelling(key) is { } reserved)
            {
                problems.Add(key, $"reads like the reserved key {reserved}: reserved keys are written in snake_case ({reserved}); rename the attribute if it is one");
                continue;
            }

            if (key.Length is 0 or > IngestLimits.MaxAttributeKeyLength)
            {
                problems.Add(key.Length == 0 ? "(empty key)" : key[..32] + "...", $"attribute names must be 1 to {IngestLimits.MaxAttributeKeyLength} characters");
                continue;
            }

            var value = property.Value;
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    var text = JsonStrings.ValueText(value);
                    if (text.Length > IngestLimits.MaxAttributeStringLength)
                    {
                        problems.Add(key, $"must be at most {IngestLimits.MaxAttributeStringLength} characters");
                    }
                    else
                    {
                        attributes[key] = AttributeValue.FromString(text);
                    }

                    break;
                case JsonValueKind.Number:
                    attributes[key] = AttributeValue.FromNumberText(JsonStrings.ValueText(value));
                    break;
                case JsonValueKind.True or JsonValueKind.False:
                    attributes[key] = AttributeValue.FromBoolean(value.GetBoolean());
                    break;
                case JsonValueKind.Null:
                    attributes[key] = AttributeValue.Null;
                    break;
                default:
                    problems.Add(key, "a product attribute must be a string, number, boolean or null (put nested data in custom_data)");
                    break;
            }
        }

        if (attributes.Count > IngestLimits.MaxAttributes)
        {
            problems.Add("attributes", $"an event may carry at most {IngestLimits.MaxAttributes} product attributes");
        }

        return attributes;
    }

    private sealed class Problems
    {
        public Dictionary<string, string[]>? Errors { get; private set; }

        public bool Has(string field) => Errors?.ContainsKey(field) == true;

        public void Add(string field, string reason)
        {
            Errors ??= new Dictionary<string, string[]>(StringComparer.Ordinal);
            Errors[field] = Errors.TryGetValue(field, out var existing) ? [.. existing, reason] : [reason];
        }
    }
}
