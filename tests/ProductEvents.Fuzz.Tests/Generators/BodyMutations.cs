using System.Text;
using System.Text.Json.Nodes;

namespace ProductEvents.Fuzz.Tests.Generators;

/// <summary>
/// Applies generated mutations to a valid body. A mutation names its target by a number taken modulo the body's
/// slots, so a generated plan applies to any body. Raw fragments (which need not be JSON) go in as placeholders
/// that are spliced into the serialized bytes.
/// </summary>
public static class BodyMutations
{
    public const int Replace = 0;
    public const int AddMember = 1;
    public const int Remove = 2;
    public const int DuplicateKey = 3;

    public static byte[] Apply(JsonNode body, IEnumerable<(int Op, uint Pick, byte[] Value, byte[] Key)> mutations)
    {
        var splices = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (op, pick, value, key) in mutations)
        {
            var slots = Slots(body);
            var objects = slots.Select(s => s.Node).OfType<JsonObject>().Prepend(body as JsonObject).OfType<JsonObject>().ToList();
            var token = $"@@F{splices.Count}@@";
            switch (op)
            {
                case Replace when slots.Count > 0:
                    Set(slots[(int)(pick % (uint)slots.Count)], token);
                    splices[token] = value;
                    break;
                case AddMember when objects.Count > 0:
                    var name = $"@@K{splices.Count}@@";
                    objects[(int)(pick % (uint)objects.Count)][name] = token;
                    splices[token] = value;
                    splices[name] = key;
                    break;
                case DuplicateKey when objects.Count > 0:
                    var target = objects[(int)(pick % (uint)objects.Count)];
                    var keys = target.Select(p => p.Key).Where(k => !k.StartsWith("@@", StringComparison.Ordinal)).ToList();
                    if (keys.Count == 0)
                    {
                        break;
                    }

                    var existing = keys[(int)(pick / 7 % (uint)keys.Count)];
                    var duplicate = $"@@K{splices.Count}@@";
                    target[duplicate] = token;
                    splices[token] = value;
                    splices[duplicate] = JsonFragments.Escape(existing);
                    break;
                case Remove when slots.Count > 0:
                    var slot = slots[(int)(pick % (uint)slots.Count)];
                    if (slot.Parent is JsonObject parent)
                    {
                        parent.Remove(slot.Key!);
                    }
                    else if (slot.Parent is JsonArray array)
                    {
                        array.RemoveAt(slot.Index);
                    }

                    break;
            }
        }

        return Splice(Encoding.UTF8.GetBytes(body.ToJsonString()), splices);
    }

    /// <summary>Sets the value at a dotted path of object keys and array indexes to a raw fragment.</summary>
    public static byte[] ReplaceAt(JsonNode body, string path, byte[] fragment)
    {
        var parts = path.Split('.');
        var node = body;
        foreach (var part in parts[..^1])
        {
            node = int.TryParse(part, out var index) ? node[index]! : node[part]!;
        }

        const string token = "@@P@@";
        if (node is JsonArray array)
        {
            array[int.Parse(parts[^1], System.Globalization.CultureInfo.InvariantCulture)] = token;
        }
        else
        {
            node[parts[^1]] = token;
        }

        return Splice(Encoding.UTF8.GetBytes(body.ToJsonString()), new Dictionary<string, byte[]> { [token] = fragment });
    }

    /// <summary>A byte-level change on top: insert bytes, cut the body short, or overwrite one byte.</summary>
    public static byte[] Corrupt(byte[] body, int kind, uint position, byte[] bytes)
    {
        if (body.Length == 0)
        {
            return bytes;
        }

        var at = (int)(position % (uint)body.Length);
        return kind switch
        {
            0 => [.. body[..at], .. bytes, .. body[at..]],
            1 => body[..at],
            2 => [.. body[..at], bytes.Length > 0 ? bytes[0] : (byte)0, .. body[(at + 1)..]],
            _ => body,
        };
    }

    private static void Set((JsonNode? Parent, string? Key, int Index, JsonNode? Node) slot, string token)
    {
        if (slot.Parent is JsonObject parent)
        {
            parent[slot.Key!] = token;
        }
        else if (slot.Parent is JsonArray array)
        {
            array[slot.Index] = token;
        }
    }

    private static List<(JsonNode? Parent, string? Key, int Index, JsonNode? Node)> Slots(JsonNode root)
    {
        var slots = new List<(JsonNode? Parent, string? Key, int Index, JsonNode? Node)>();
        void Walk(JsonNode node)
        {
            if (node is JsonObject obj)
            {
                foreach (var (key, value) in obj.ToList())
                {
                    slots.Add((obj, key, -1, value));
                    if (value is not null)
                    {
                        Walk(value);
                    }
                }
            }
            else if (node is JsonArray array)
            {
                for (var i = 0; i < array.Count; i++)
                {
                    slots.Add((array, null, i, array[i]));
                    if (array[i] is { } item)
                    {
                        Walk(item);
                    }
                }
            }
        }

        Walk(root);
        return slots;
    }

    private static byte[] Splice(byte[] json, Dictionary<string, byte[]> splices)
    {
        var result = json;
        foreach (var (token, fragment) in splices)
        {
            var quoted = Encoding.ASCII.GetBytes($"\"{token}\"");
            var at = result.AsSpan().IndexOf(quoted);
            if (at >= 0)
            {
                result = [.. result[..at], .. fragment, .. result[(at + quoted.Length)..]];
            }
        }

        return result;
    }
}
