using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ProductEvents.Grains.Segments;

/// <summary>
/// Writes a condition as canonical JSON that <see cref="SegmentConditionParser"/> reads back to an equal condition:
/// event types by name, durations as ISO-8601 (<c>P7D</c>), times in UTC, and defaults left out.
/// </summary>
public static class SegmentConditionJson
{
    // Stored text, never embedded in HTML: letters such as "é" stay readable instead of becoming \u00E9.
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(SegmentCondition condition)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            WriteNode(writer, condition);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteNode(Utf8JsonWriter writer, SegmentCondition condition)
    {
        writer.WriteStartObject();
        switch (condition)
        {
            case AllCondition all:
                WriteItems(writer, "all", all.Items);
                break;
            case AnyCondition any:
                WriteItems(writer, "any", any.Items);
                break;
            case NotCondition not:
                writer.WritePropertyName("not");
                WriteNode(writer, not.Inner);
                break;
            case EventCondition e:
                writer.WritePropertyName("event");
                WriteEvent(writer, e);
                break;
            default:
                throw new ArgumentException($"Unknown condition node {condition.GetType().Name}.", nameof(condition));
        }

        writer.WriteEndObject();
    }

    private static void WriteItems(Utf8JsonWriter writer, string name, IReadOnlyList<SegmentCondition> items)
    {
        writer.WriteStartArray(name);
        foreach (var item in items)
        {
            WriteNode(writer, item);
        }

        writer.WriteEndArray();
    }

    private static void WriteEvent(Utf8JsonWriter writer, EventCondition e)
    {
        writer.WriteStartObject();
        WriteTypes(writer, e.Types);
        if (e.Product.Count > 0)
        {
            writer.WriteStartObject("product");

            // A field with several operators ({"gte": 50, "lte": 200}) is one object: a repeated key would not read back.
            foreach (var field in e.Product.GroupBy(f => f.Field, StringComparer.Ordinal))
            {
                writer.WriteStartObject(field.Key);
                foreach (var filter in field)
                {
                    writer.WritePropertyName(OperatorName(filter.Operator));
                    if (filter.Operator == FilterOperator.In)
                    {
                        writer.WriteStartArray();
                        foreach (var value in filter.Values)
                        {
                            value.WriteTo(writer);
                        }

                        writer.WriteEndArray();
                    }
                    else
                    {
                        (filter.Values.Count > 0 ? filter.Values[0] : AttributeValue.Null).WriteTo(writer);
                    }
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        if (e.Within is { } within)
        {
            writer.WriteString("within", IsoDuration.Format(within));
        }

        if (e.Since is { } since)
        {
            writer.WriteString("since", IsoDateTime.Format(since));
        }

        if (e.Until is { } until)
        {
            writer.WriteString("until", IsoDateTime.Format(until));
        }

        if (e.Count != CountRule.AtLeastOne)
        {
            writer.WriteStartObject("count");
            WriteBound(writer, "gte", e.Count.Gte);
            WriteBound(writer, "lte", e.Count.Lte);
            WriteBound(writer, "eq", e.Count.Eq);
            writer.WriteEndObject();
        }

        if (e.NotFollowedBy is { } follow)
        {
            writer.WriteStartObject("not_followed_by");
            WriteTypes(writer, follow.Types);
            if (follow.Within is { } wait)
            {
                writer.WriteString("within", IsoDuration.Format(wait));
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WriteTypes(Utf8JsonWriter writer, IReadOnlyList<ProductEventType> types)
    {
        writer.WriteStartArray("types");
        foreach (var type in types)
        {
            writer.WriteStringValue(ProductEventTypes.Name(type));
        }

        writer.WriteEndArray();
    }

    private static void WriteBound(Utf8JsonWriter writer, string name, long? bound)
    {
        if (bound is { } value)
        {
            writer.WriteNumber(name, value);
        }
    }

    private static string OperatorName(FilterOperator op) => op switch
    {
        FilterOperator.Eq => "eq",
        FilterOperator.Ne => "ne",
        FilterOperator.In => "in",
        FilterOperator.Lt => "lt",
        FilterOperator.Lte => "lte",
        FilterOperator.Gt => "gt",
        FilterOperator.Gte => "gte",
        FilterOperator.Contains => "contains",
        FilterOperator.Exists => "exists",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };
}
