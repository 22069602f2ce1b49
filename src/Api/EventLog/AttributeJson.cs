using System.Buffers;
using System.Text;
using System.Text.Json;
using ProductEvents.Abstractions;

namespace ProductEvents.Api.EventLog;

/// <summary>Product attributes as the JSON object text the log stores.</summary>
public static class AttributeJson
{
    public static string Serialize(IReadOnlyDictionary<string, AttributeValue> attributes)
    {
        if (attributes.Count == 0)
        {
            return "{}";
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in attributes)
            {
                writer.WritePropertyName(key);
                switch (value.Kind)
                {
                    case AttributeKind.String:
                        writer.WriteStringValue(value.Text);
                        break;
                    case AttributeKind.Number:
                        writer.WriteRawValue(value.Text!);
                        break;
                    case AttributeKind.Boolean:
                        writer.WriteBooleanValue(value.Text == "true");
                        break;
                    default:
                        writer.WriteNullValue();
                        break;
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static Dictionary<string, AttributeValue> Deserialize(string json)
    {
        var attributes = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            reader.Read();
            attributes[key] = reader.TokenType switch
            {
                JsonTokenType.String => AttributeValue.FromString(reader.GetString()!),
                JsonTokenType.Number => AttributeValue.FromNumberText(Encoding.UTF8.GetString(reader.ValueSpan)),
                JsonTokenType.True => AttributeValue.True,
                JsonTokenType.False => AttributeValue.False,
                _ => AttributeValue.Null,
            };
        }

        return attributes;
    }
}
