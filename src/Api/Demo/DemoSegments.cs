using ProductEvents.Abstractions.Segments;

namespace ProductEvents.Api.Demo;

/// <summary>
/// The demo shop's segment panel: the demo app's segments, the visitor's own, and the brief's example segments created
/// with one click. Development only, like the rest of <c>/demo/</c>.
/// </summary>
internal static class DemoSegments
{
    /// <summary>The examples the page offers, by the id its buttons send.</summary>
    public static readonly IReadOnlyDictionary<string, (string Name, string Condition)> Examples = new Dictionary<string, (string, string)>(StringComparer.Ordinal)
    {
        ["abandoned-cart"] = ("Added to cart, did not buy",
            """{"event": {"types": ["add to cart"], "not_followed_by": {"types": ["purchase"]}}}"""),
        ["interested-in-shoes"] = ("Interested in shoes",
            """{"event": {"types": ["view", "detail", "liking", "add to cart"], "product": {"category": {"eq": "shoes"}}}}"""),
        ["bought-discounted"] = ("Bought discounted products",
            """{"event": {"types": ["purchase"], "product": {"discounted": {"eq": true}}}}"""),
    };

    public static RouteGroupBuilder MapDemoSegments(this RouteGroupBuilder demo)
    {
        demo.MapGet("/api/segments", ListAsync);
        demo.MapPost("/api/segments/{example}", CreateAsync);
        demo.MapGet("/api/contact/segments", ContactSegmentsAsync);
        return demo;
    }

    public static async Task<Ok<SegmentResponse[]>> ListAsync(IGrainFactory grains, IOptions<DemoOptions> demo) =>
        TypedResults.Ok((await grains.GetGrain<ISegmentRegistryGrain>(demo.Value.AppId).ListAsync()).Select(SegmentResponse.From).ToArray());

    /// <summary>Creates the example once; asked again, answers the segment that exists.</summary>
    public static async Task<Results<Ok<SegmentResponse>, ProblemHttpResult>> CreateAsync(IGrainFactory grains, IOptions<DemoOptions> demo, string example)
    {
        if (!Examples.TryGetValue(example, out var definition))
        {
            return Problems.Status(StatusCodes.Status404NotFound, "Unknown example", $"The examples are {string.Join(", ", Examples.Keys)}.");
        }

        var registry = grains.GetGrain<ISegmentRegistryGrain>(demo.Value.AppId);
        if ((await registry.ListAsync()).FirstOrDefault(s => s.Name == definition.Name) is { } existing)
        {
            return TypedResults.Ok(SegmentResponse.From(existing));
        }

        var result = await registry.CreateAsync(definition.Name, definition.Condition);
        return result.Segment is { } created
            ? TypedResults.Ok(SegmentResponse.From(created))
            : Problems.Status(StatusCodes.Status409Conflict, "Segment not created", string.Join("; ", result.Errors.Select(e => e.Message)));
    }

    public static async Task<Results<Ok<ContactSegmentResponse[]>, ValidationProblem>> ContactSegmentsAsync(
        IGrainFactory grains, IngestPipeline pipeline, IOptions<DemoOptions> demo, string? user_id, string? user_key)
    {
        if (string.IsNullOrEmpty(user_id) == string.IsNullOrEmpty(user_key))
        {
            return Problems.Invalid("user_id", "give user_id or user_key, one of them");
        }

        await pipeline.WhenAppliedAsync();
        var contact = string.IsNullOrEmpty(user_id) ? ContactRef.Visitor(user_key!) : ContactRef.User(user_id);
        var memberships = await grains.GetGrain<IContactGrain>(GrainKeys.Contact(demo.Value.AppId, contact)).GetSegmentsAsync();
        var names = (await grains.GetGrain<ISegmentRegistryGrain>(demo.Value.AppId).ListAsync()).ToDictionary(s => s.Id, s => s.Name);
        return TypedResults.Ok(memberships
            .Where(m => names.ContainsKey(m.SegmentId))
            .Select(m => new ContactSegmentResponse(m.SegmentId, names[m.SegmentId], m.Since))
            .ToArray());
    }
}
