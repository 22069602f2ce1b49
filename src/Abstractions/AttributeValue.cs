using System.Globalization;
using System.Text.Json;

namespace ProductEvents.Abstractions;

/// <summary>
/// A scalar product attribute. Numbers keep the exact text they were sent with, so "19.90" comes back as 19.90.
/// </summary>
[GenerateSerializer, Immutable, Alias("pe.AttributeValue")]
public readonly record struct AttributeValue(
    [property: Id(0)] AttributeKind Kind,
    [property: Id(1)] string? Text)
{
    public static AttributeValue Null => new(AttributeKind.Null, null);

    public static AttributeValue True => new(AttributeKind.Boolean, "true");

    public static AttributeValue False => new(AttributeKind.Boolean, "false");

    public static AttributeValue FromString(string value) => new(AttributeKind.String, value);

    /// <summary>A number from its JSON text, for example "19.90".</summary>
    public static AttributeValue FromNumberText(string jsonNumber) => new(AttributeKind.Number, jsonNumber);

    public static AttributeValue FromBoolean(bool value) => value ? True : False;

    public double? AsNumber() =>
        Kind == AttributeKind.Number && double.TryParse(Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;

    public bool? AsBoolean() => Kind == AttributeKind.Boolean ? Text == "true" : null;

    /// <summary>Writes the value as JSON: a number as the exact text it was sent with, so 19.90 stays 19.90.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        switch (Kind)
        {
            case AttributeKind.String:
                writer.WriteStringValue(Text);
                break;
            case AttributeKind.Number:
                writer.WriteRawValue(Text!);
                break;
            case AttributeKind.Boolean:
                writer.WriteBooleanValue(Text == "true");
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }
}
