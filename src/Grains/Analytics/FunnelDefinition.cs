using System.Text.Json;
using ProductEvents.Grains.Segments;

namespace ProductEvents.Grains.Analytics;

/// <summary>One funnel step: the event types that reach it and the filters its product must pass (the segment language's).</summary>
public sealed record FunnelStepDefinition(IReadOnlyList<ProductEventType> Types, IReadOnlyList<ProductFilter> Product);

/// <summary>
/// An ordered funnel: a contact enters with an event of the first step with an event time in [since, until), and reaches
/// each next step with a later event (at an equal time, later in the log) no more than <see cref="Within"/> after its
/// entry; with <see cref="SameProduct"/> every step must be on the entry's product. <see cref="Breakdown"/>: counted
/// per value of the entry product's current attribute of that name.
/// </summary>
public sealed record FunnelDefinition(
    IReadOnlyList<FunnelStepDefinition> Steps,
    TimeSpan Within,
    DateTimeOffset Since,
    DateTimeOffset Until,
    bool SameProduct,
    string? Breakdown)
{
    public const int MinSteps = 2;
    public const int MaxSteps = 10;
    public const int MaxRangeDays = 366;
    public const int MaxGroups = 20;
    public const int MaxDefinitionBytes = 64 * 1024;
    public static readonly TimeSpan DefaultWithin = TimeSpan.FromDays(1);
    public static readonly TimeSpan DefaultRange = TimeSpan.FromDays(7);

    private const string Keys = "steps, within, since, until, same_product, breakdown";

    /// <summary>The definition, or null with every error (each naming its path).</summary>
    public static FunnelDefinition? Parse(string json, DateTimeOffset now, out List<SegmentDefinitionError> errors)
    {
        errors = [];
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException)
        {
            errors.Add(new("body", "must be a JSON object"));
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new("body", $"must be a JSON object with {Keys}"));
                return null;
            }

            List<FunnelStepDefinition>? steps = null;
            TimeSpan? within = DefaultWithin;
            DateTimeOffset? since = null;
            DateTimeOffset? until = null;
            var sameProduct = false;
            string? breakdown = null;
            foreach (var property in root.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "steps":
                        steps = ParseSteps(property.Value, errors);
                        break;
                    case "within":
                        within = SegmentConditionParser.ParseWithin(property.Value, "within", errors);
                        break;
                    case "since":
                        since = SegmentConditionParser.ParseInstant(property.Value, "since", errors);
                        break;
                    case "until":
                        until = SegmentConditionParser.ParseInstant(property.Value, "until", errors);
                        break;
                    case "same_product":
                        if (property.Value.ValueKind is JsonValueKind.True or JsonValueKind.False)
                        {
                            sameProduct = property.Value.GetBoolean();
                        }
                        else
                        {
                            errors.Add(new("same_product", "must be true or false"));
                        }

                        break;
                    case "breakdown":
                        if (property.Value.ValueKind == JsonValueKind.String && property.Value.GetString() is { Length: > 0 and <= 200 } field)
                        {
                            breakdown = field;
                        }
                        else if (property.Value.ValueKind != JsonValueKind.Null)
                        {
                            errors.Add(new("breakdown", "must be the name of a product attribute (1 to 200 characters), name or product_id"));
                        }

                        break;
                    default:
                        errors.Add(new(property.Name, $"unknown key; a funnel allows: {Keys}"));
                        break;
                }
            }

            if (steps is null && !errors.Any(e => e.Path.StartsWith("steps", StringComparison.Ordinal)))
            {
                errors.Add(new("steps", $"is required: an array of {MinSteps} to {MaxSteps} steps, each {{\"types\": [...], \"product\": {{...}}}}"));
            }

            var to = until ?? now;
            var from = since ?? to - DefaultRange;
            if (errors.Count == 0)
            {
                if (from >= to)
                {
                    errors.Add(new(since is null ? "until" : "since", "must be before until (since defaults to 7 days before until, until to now)"));
                }
                else if (to - from > TimeSpan.FromDays(MaxRangeDays))
                {
                    errors.Add(new("since", $"the range from since to until must be at most {MaxRangeDays} days"));
                }
            }

            return errors.Count == 0 ? new FunnelDefinition(steps!, within!.Value, from, to, sameProduct, breakdown) : null;
        }
    }

    private static List<FunnelStepDefinition>? ParseSteps(JsonElement value, List<SegmentDefinitionError> errors)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() is < MinSteps or > MaxSteps)
        {
            errors.Add(new("steps", $"must be an array of {MinSteps} to {MaxSteps} steps, each {{\"types\": [...], \"product\": {{...}}}}"));
            return null;
        }

        var steps = new List<FunnelStepDefinition>();
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (SegmentConditionParser.ParseStep(item, $"steps[{i}]", errors) is { } step)
            {
                steps.Add(new FunnelStepDefinition(step.Types, step.Product));
            }

            i++;
        }

        return steps.Count == i ? steps : null;
    }
}
