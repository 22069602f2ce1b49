using System.Text.Json;
using ProductEvents.Abstractions.Segments;

namespace ProductEvents.Grains.Segments;

/// <summary>
/// Each silo's copy of every app's segment definitions, so a contact evaluating its segments makes no call to a
/// shared grain. A change made through this silo's registry applies at once; other silos see it within about twice
/// <see cref="RefreshInterval"/> (see <see cref="AppVersionedCache{T}"/>).
/// </summary>
public sealed class SegmentDefinitionCache(IGrainFactory grains, TimeProvider clock)
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    private readonly AppVersionedCache<AppSegments> _apps = new(
        clock,
        RefreshInterval,
        appId => grains.GetGrain<ISegmentRegistryGrain>(appId).GetVersionAsync(),
        async (appId, version) =>
        {
            var segments = (await grains.GetGrain<ISegmentRegistryGrain>(appId).ListAsync()).Select(Compile).ToArray();
            return new AppSegments(version, segments, segments.SelectMany(s => ProductFieldsOf(s.Condition)).ToHashSet(StringComparer.Ordinal));
        });

    public ValueTask<AppSegments> GetAsync(string appId) => _apps.GetAsync(appId);

    /// <summary>Drops an app's cached definitions; the next <see cref="GetAsync"/> reads them again.</summary>
    public void Invalidate(string appId) => _apps.Invalidate(appId);

    private static CompiledSegment Compile(SegmentInfo info)
    {
        using var document = JsonDocument.Parse(info.ConditionJson);
        var condition = SegmentConditionParser.Parse(document.RootElement, out var errors)
            ?? throw new InvalidOperationException($"Stored segment {info.Id} no longer parses: {string.Join("; ", errors.Select(e => $"{e.Path}: {e.Message}"))}");
        return new CompiledSegment(info.Id, info.Version, condition);
    }

    private static IEnumerable<string> ProductFieldsOf(SegmentCondition condition) => condition switch
    {
        AllCondition all => all.Items.SelectMany(ProductFieldsOf),
        AnyCondition any => any.Items.SelectMany(ProductFieldsOf),
        NotCondition not => ProductFieldsOf(not.Inner),
        EventCondition e => e.Product.Select(f => f.Field),
        _ => [],
    };
}
