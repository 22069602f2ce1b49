using System.Text;
using System.Text.Json.Nodes;
using CsCheck;

namespace ProductEvents.Fuzz.Tests.Generators;

/// <summary>
/// The generator of hostile requests per endpoint: mostly mutations of a valid body (so validation of each field is
/// reached), known poisons placed where they hurt most, pure random JSON and bytes, bodies over the size limits, wrong
/// content types and chunked framing.
/// </summary>
public static class FuzzRequests
{
    private static readonly Gen<string> Marker = Gen.Long.Select(n => ((ulong)n).ToString("x16", System.Globalization.CultureInfo.InvariantCulture));

    private static readonly Gen<byte[]> MutationValue = Gen.Frequency(
        (3, JsonFragments.HostileString),
        (3, JsonFragments.HostileNumber),
        (2, JsonFragments.DeepNesting),
        (2, JsonFragments.AnyValue),
        (1, Gen.OneOf(Gen.Const("1"), Gen.Const("\"x\""), Gen.Const("{}"), Gen.Const("[]"), Gen.Const("null"), Gen.Const("true"))
            .Select(JsonFragments.Ascii)));

    private static readonly Gen<(int Op, uint Pick, byte[] Value, byte[] Key)> Mutation =
        from op in Gen.Frequency((5, Gen.Const(BodyMutations.Replace)), (2, Gen.Const(BodyMutations.AddMember)),
            (1, Gen.Const(BodyMutations.Remove)), (2, Gen.Const(BodyMutations.DuplicateKey)))
        from pick in Gen.UInt
        from value in MutationValue
        from key in Gen.Frequency((2, JsonFragments.HostileString),
            (1, Gen.OneOf(Gen.Const("price"), Gen.Const("custom_data"), Gen.Const("events"), Gen.Const("data"), Gen.Const("x"))
                .Select(k => JsonFragments.Ascii($"\"{k}\""))))
        select (op, pick, value, key);

    private static readonly Gen<byte[]> Poison = Gen.OneOf(
        Gen.Int[58, 66].Select(depth => JsonFragments.Ascii(string.Concat(Enumerable.Repeat("{\"d\":", depth)) + "1" + new string('}', depth))),
        Gen.Const(JsonFragments.Ascii("{\"n\":1e999999999}")),
        Gen.Const(JsonFragments.Ascii("{\"n\":1e-999999}")),
        Gen.Const(JsonFragments.Ascii("{\"s\":\"\\ud800\"}")),
        Gen.Const(JsonFragments.Ascii("{\"s\":\"a\\u0000b\"}")),
        Gen.Const(JsonFragments.Ascii("{\"\\u0000\":1}")),
        Gen.Const(JsonFragments.Ascii("{\"n\":[0.1e-400000]}")));

    private static readonly Gen<string?> ContentType = Gen.Frequency(
        (16, Gen.Const<string?>("application/json")),
        (1, Gen.Const((string?)null)),
        (3, Gen.OneOf<string?>("text/plain", "application/x-www-form-urlencoded", "application/json; charset=utf-16",
            "multipart/form-data; boundary=x", "application/problem+json", "application/json; charset=latin1", "*/*",
            "application/xml", "application/json; charset=\"utf-8\"")));

    public static Gen<FuzzRequest> For(FuzzEndpoint endpoint) =>
        from marker in Marker
        from shaped in Gen.Frequency(
            (10, Mutated(endpoint, marker)),
            (3, Poisoned(endpoint, marker)),
            (2, JsonFragments.AnyValue.Select(body => ("random JSON", body))),
            (2, JsonFragments.AnyBytes.Select(body => ("random bytes", body))),
            (1, Oversized(endpoint, marker)))
        from contentType in ContentType
        from chunked in Gen.Int[0, 4].Select(n => n == 0)
        from pathId in Gen.Frequency(
            (8, Gen.Const($"fp-{marker}")),
            (1, Gen.OneOf("%00", "a%00b", "%ED%A0%80", "%F0%9F%98", "%FF", new string('p', 300), "%20", "%C0%80", "%E2%80%AE")))
        select new FuzzRequest(endpoint, marker, shaped.Item1, shaped.Item2, contentType, chunked, pathId);

    private static Gen<(string, byte[])> Mutated(FuzzEndpoint endpoint, string marker) =>
        from mutations in Mutation.Array[1, 3]
        from corruption in Gen.Frequency((6, Gen.Const(-1)), (1, Gen.Int[0, 2]))
        from position in Gen.UInt
        from inserted in Gen.OneOf(Gen.Byte.Array[1, 4], Gen.OneOf<byte[]>([0xED, 0xA0, 0x80], [0xF0, 0x9F, 0x98], [0x00], [0xC0, 0x80]))
        select ($"mutated x{mutations.Length}{(corruption >= 0 ? $" corrupted {corruption}" : "")}",
            corruption < 0
                ? BodyMutations.Apply(ValidBodies.For(endpoint, marker), mutations)
                : BodyMutations.Corrupt(BodyMutations.Apply(ValidBodies.For(endpoint, marker), mutations), corruption, position, inserted));

    private static Gen<(string, byte[])> Poisoned(FuzzEndpoint endpoint, string marker)
    {
        var paths = endpoint switch
        {
            FuzzEndpoint.SingleEvent => ["custom_data", "custom_data", "custom_data.nested", "name", "color", "product_id", "user_id", "event_id"],
            FuzzEndpoint.BatchEvents => ["events.0.custom_data", "events.1.custom_data", "events.0.name", "events.1.product_id"],
            FuzzEndpoint.UserComEvent => ["data.custom_data", "data.custom_data", "data.name", "user_custom_id", "event_id"],
            FuzzEndpoint.Identify => ["user_id", "user_key"],
            FuzzEndpoint.CreateSegment or FuzzEndpoint.UpdateSegment => ["name", "condition.all.0.event.product.color.in.0", "condition.all.0.event.product.price.gte"],
            FuzzEndpoint.CreateAutomation or FuzzEndpoint.UpdateAutomation => ["name", "action.webhook.template", "action.webhook.secret", "trigger.event.product.price.gte"],
            FuzzEndpoint.CreateCampaign => ["name", "action.webhook.template", "action.webhook.url"],
            _ => new[] { "name" },
        };
        return from path in Gen.OneOf(paths)
               from poison in path.EndsWith("custom_data", StringComparison.Ordinal)
                   ? Poison
                   : Gen.Frequency((3, JsonFragments.HostileString), (1, JsonFragments.HostileNumber), (1, Poison))
               select ($"poison at {path}", BodyMutations.ReplaceAt(ValidBodies.For(endpoint, marker), path, poison));
    }

    private static Gen<(string, byte[])> Oversized(FuzzEndpoint endpoint, string marker) =>
        from size in Gen.OneOf(4_200, 17_000, 66_000, 1_100_000)
        from manyEvents in Gen.Bool
        select endpoint == FuzzEndpoint.BatchEvents && manyEvents
            ? ($"1001 events", Encoding.UTF8.GetBytes(new JsonObject
            {
                ["events"] = new JsonArray(Enumerable.Range(0, 1001).Select(i => (JsonNode)ValidBodies.Event(marker, i)).ToArray()),
            }.ToJsonString()))
            : ($"padded to {size} bytes", Pad(ValidBodies.For(endpoint, marker), size));

    private static byte[] Pad(JsonNode body, int size)
    {
        var target = body["events"] is JsonArray events ? events[0]! : body;
        target["padding"] = new string('z', size);
        return Encoding.UTF8.GetBytes(body.ToJsonString());
    }
}
