using System.Text.Json;
using System.Text.Json.Nodes;

namespace ProductEvents.Grains.Automations;

/// <summary>
/// Reads an automation's <c>unless</c>: the segment condition language plus <c>same_product: true</c> in event nodes.
/// The flag is taken out before the segment parser sees the condition, and remembered by the node's path.
/// </summary>
public static class UnlessConditionParser
{
    public const string SameProduct = "same_product";

    public static UnlessCondition? Parse(JsonElement unless, List<SegmentDefinitionError> errors, string path = "unless")
    {
        var node = JsonNode.Parse(unless.GetRawText());
        var sameProduct = new HashSet<string>(StringComparer.Ordinal);
        var before = errors.Count;
        Strip(node, path, sameProduct, errors);
        using var stripped = JsonDocument.Parse(node?.ToJsonString() ?? "null");
        var condition = SegmentConditionParser.Parse(stripped.RootElement, out var problems, path);
        errors.AddRange(problems);
        return condition is not null && errors.Count == before ? new UnlessCondition(condition, sameProduct) : null;
    }

    /// <summary>Walks the node kinds the segment parser knows, with the same path names it uses.</summary>
    private static void Strip(JsonNode? node, string path, HashSet<string> sameProduct, List<SegmentDefinitionError> errors)
    {
        if (node is not JsonObject obj)
        {
            return;
        }

        foreach (var key in new[] { "all", "any" })
        {
            if (obj[key] is JsonArray items)
            {
                for (var i = 0; i < items.Count; i++)
                {
                    Strip(items[i], $"{path}.{key}[{i}]", sameProduct, errors);
                }
            }
        }

        Strip(obj["not"], $"{path}.not", sameProduct, errors);
        if (obj["event"] is JsonObject e && e.ContainsKey(SameProduct))
        {
            var flag = e[SameProduct];
            if (flag is JsonValue value && value.TryGetValue<bool>(out var on))
            {
                if (on)
                {
                    sameProduct.Add($"{path}.event");
                }
            }
            else
            {
                errors.Add(new($"{path}.event.{SameProduct}", "must be true or false"));
            }

            e.Remove(SameProduct);
        }
    }
}
