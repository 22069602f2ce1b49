using System.Text.Json;

namespace ProductEvents.Grains.Automations;

/// <summary>
/// Each silo's copy of every app's automations (as <see cref="SegmentDefinitionCache"/> for segments): a contact checks
/// its triggers without calling a shared grain. Other silos see a change within about twice <see cref="RefreshInterval"/>.
/// </summary>
public sealed class AutomationDefinitionCache(IGrainFactory grains, TimeProvider clock)
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    private readonly AppVersionedCache<AppAutomations> _apps = new(
        clock,
        RefreshInterval,
        appId => grains.GetGrain<IAutomationRegistryGrain>(appId).GetVersionAsync(),
        async (appId, version) => new AppAutomations(
            version,
            (await grains.GetGrain<IAutomationRegistryGrain>(appId).ListAsync()).Select(Compile).ToDictionary(a => a.Id, StringComparer.Ordinal)));

    public ValueTask<AppAutomations> GetAsync(string appId) => _apps.GetAsync(appId);

    public void Invalidate(string appId) => _apps.Invalidate(appId);

    private static CompiledAutomation Compile(AutomationInfo info)
    {
        var errors = new List<SegmentDefinitionError>();
        using var document = JsonDocument.Parse(info.DefinitionJson);
        var definition = AutomationDefinitionParser.Parse(document.RootElement, errors)
            ?? throw new InvalidOperationException($"Stored automation {info.Id} no longer parses: {string.Join("; ", errors.Select(e => $"{e.Path}: {e.Message}"))}");
        return new CompiledAutomation(info.Id, info.Version, info.CreatedAt, definition);
    }
}
