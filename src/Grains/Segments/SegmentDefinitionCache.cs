using System.Collections.Concurrent;
using System.Text.Json;
using ProductEvents.Abstractions.Segments;

namespace ProductEvents.Grains.Segments;

/// <summary>
/// Each silo's copy of every app's segment definitions, so a contact evaluating its segments makes no call to a
/// shared grain. A change made through this silo's registry applies at once; other silos see it within
/// <see cref="RefreshInterval"/> (a version check against the app's registry grain).
/// </summary>
public sealed class SegmentDefinitionCache(IGrainFactory grains, TimeProvider clock)
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, AppSegments> _apps = new(StringComparer.Ordinal);

    public async ValueTask<AppSegments> GetAsync(string appId)
    {
        var now = clock.GetUtcNow();
        if (_apps.TryGetValue(appId, out var cached) && now - cached.CheckedAt < RefreshInterval)
        {
            return cached;
        }

        var registry = grains.GetGrain<ISegmentRegistryGrain>(appId);
        var version = await registry.GetVersionAsync();
        if (cached is not null && cached.Version == version)
        {
            return _apps[appId] = cached with { CheckedAt = now };
        }

        var segments = (await registry.ListAsync()).Select(Compile).ToArray();
        var fields = segments.SelectMany(s => ProductFieldsOf(s.Condition)).ToHashSet(StringComparer.Ordinal);
        return _apps[appId] = new AppSegments(version, segments, fields, now);
    }

    /// <summary>Drops an app's cached definitions; the next <see cref="GetAsync"/> reads them again.</summary>
    public void Invalidate(string appId) => _apps.TryRemove(appId, out _);

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
