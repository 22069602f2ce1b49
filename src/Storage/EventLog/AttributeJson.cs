using System.Buffers;
using System.Text;
using System.Text.Json;

namespace ProductEvents.Storage.EventLog;

/// <summary>Product attributes as the JSON object text the log stores.</summary>
public static class AttributeJson
{
    // Every event's attributes are serialized on the commit path: one buffer and one writer per thread serve them all.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public static string Serialize(IReadOnlyDictionary<string, AttributeValue> attributes)
    {
        if (attributes.Count == 0)
        {
            return "{}";
        }

        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);
        writer.WriteStartObject();
        if (attributes is Dictionary<string, AttributeValue> dictionary)
        {
            // The concrete type's enumerator is a struct: no allocation per event.
            foreach (var (key, value) in dictionary)
            {
                Write(writer, key, value);
            }
        }
        else
        {
            foreach (var (key, value) in attributes)
            {
                Write(writer, key, value);
            }
        }

        writer.WriteEndObject();
        writer.Flush();
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Write(Utf8JsonWriter writer, string key, AttributeValue value)
    {
        writer.WritePropertyName(key);
        value.WriteTo(writer);
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
