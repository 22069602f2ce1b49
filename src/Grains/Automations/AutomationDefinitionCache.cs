using System.Collections.Concurrent;
using System.Text.Json;
using ProductEvents.Abstractions.Automations;
using ProductEvents.Grains.Segments;

namespace ProductEvents.Grains.Automations;

/// <summary>
/// Each silo's copy of every app's automations (as <see cref="SegmentDefinitionCache"/> for segments): a contact checks
/// its triggers without calling a shared grain. Other silos see a change within <see cref="RefreshInterval"/>.
/// </summary>
public sealed class AutomationDefinitionCache(IGrainFactory grains, TimeProvider clock)
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, AppAutomations> _apps = new(StringComparer.Ordinal);

    public async ValueTask<AppAutomations> GetAsync(string appId)
    {
        var now = clock.GetUtcNow();
        if (_apps.TryGetValue(appId, out var cached) && now - cached.CheckedAt < RefreshInterval && now >= cached.CheckedAt)
        {
            return cached;
        }

        var registry = grains.GetGrain<IAutomationRegistryGrain>(appId);
        var version = await registry.GetVersionAsync();
        if (cached is not null && cached.Version == version)
        {
            return _apps[appId] = cached with { CheckedAt = now };
        }

        var automations = (await registry.ListAsync()).Select(Compile).ToDictionary(a => a.Id, StringComparer.Ordinal);
        return _apps[appId] = new AppAutomations(version, automations, now);
    }

    public void Invalidate(string appId) => _apps.TryRemove(appId, out _);

    private static CompiledAutomation Compile(AutomationInfo info)
    {
        var errors = new List<SegmentDefinitionError>();
        using var document = JsonDocument.Parse(info.DefinitionJson);
        var definition = AutomationDefinitionParser.Parse(document.RootElement, errors)
            ?? throw new InvalidOperationException($"Stored automation {info.Id} no longer parses: {string.Join("; ", errors.Select(e => $"{e.Path}: {e.Message}"))}");
        return new CompiledAutomation(info.Id, info.Version, info.CreatedAt, definition);
    }
}
