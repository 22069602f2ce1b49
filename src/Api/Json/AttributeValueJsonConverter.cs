using System.Text.Json.Serialization;

namespace ProductEvents.Api.Json;

/// <summary>Writes an attribute as the JSON scalar it came in as; numbers keep their exact text.</summary>
public sealed class AttributeValueJsonConverter : JsonConverter<AttributeValue>
{
    public override AttributeValue Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.String => AttributeValue.FromString(reader.GetString()!),
            JsonTokenType.Number => AttributeValue.FromNumberText(System.Text.Encoding.UTF8.GetString(reader.ValueSpan)),
            JsonTokenType.True => AttributeValue.True,
            JsonTokenType.False => AttributeValue.False,
            JsonTokenType.Null => AttributeValue.Null,
            _ => throw new JsonException("A product attribute is a string, number, boolean or null."),
        };

    public override void Write(Utf8JsonWriter writer, AttributeValue value, JsonSerializerOptions options) => value.WriteTo(writer);

    public override bool HandleNull => true;
}
