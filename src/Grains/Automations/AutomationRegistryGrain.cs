using System.Security.Cryptography;
using System.Text.Json;
using ProductEvents.Abstractions.Segments;
using ProductEvents.Grains.Webhooks;

namespace ProductEvents.Grains.Automations;

/// <summary>One app's automation definitions. Every change bumps the version that silos' caches compare.</summary>
public sealed class AutomationRegistryGrain(
    [PersistentState("automations", StorageNames.Snapshots)] IPersistentState<AutomationRegistryState> state,
    AutomationDefinitionCache cache,
    WebhookAddressPolicy addresses,
    TimeProvider clock) : Grain, IAutomationRegistryGrain
{
    private string AppId => this.GetPrimaryKeyString();

    public async Task<AutomationWriteResult> CreateAsync(string definitionJson)
    {
        if (state.State.Automations.Count >= AutomationLimits.MaxAutomationsPerApp)
        {
            return new AutomationWriteResult(null, [new DefinitionError("", $"An app may define at most {AutomationLimits.MaxAutomationsPerApp} automations.")], LimitReached: true);
        }

        if (Validate(definitionJson, out var errors) is not { } definition)
        {
            return new AutomationWriteResult(null, errors);
        }

        var now = clock.GetUtcNow();
        var id = "aut_" + RandomNumberGenerator.GetHexString(12, lowercase: true);
        var info = new AutomationInfo(id, definition.Name, definitionJson, definition.Enabled, 1, now, now);
        await SaveAsync(info);
        return new AutomationWriteResult(info, []);
    }

    public async Task<AutomationWriteResult?> UpdateAsync(string automationId, string definitionJson)
    {
        if (!state.State.Automations.TryGetValue(automationId, out var current))
        {
            return null;
        }

        if (Validate(definitionJson, out var errors) is not { } definition)
        {
            return new AutomationWriteResult(null, errors);
        }

        var info = current with
        {
            Name = definition.Name, DefinitionJson = definitionJson, Enabled = definition.Enabled,
            Version = current.Version + 1, UpdatedAt = clock.GetUtcNow(),
        };
        await SaveAsync(info);
        return new AutomationWriteResult(info, []);
    }

    public async Task<bool> DeleteAsync(string automationId)
    {
        if (!state.State.Automations.Remove(automationId))
        {
            return false;
        }

        state.State.Version++;
        await state.WriteStateAsync();
        cache.Invalidate(AppId);
        return true;
    }

    public Task<AutomationInfo?> GetAsync(string automationId) => Task.FromResult(state.State.Automations.GetValueOrDefault(automationId));

    public Task<IReadOnlyList<AutomationInfo>> ListAsync() =>
        Task.FromResult<IReadOnlyList<AutomationInfo>>([.. state.State.Automations.Values.OrderBy(a => a.CreatedAt).ThenBy(a => a.Id, StringComparer.Ordinal)]);

    public Task<long> GetVersionAsync() => Task.FromResult(state.State.Version);

    /// <remarks>
    /// The address policy applies here, to new definitions, and not in the parser: a stored automation keeps compiling
    /// if an operator narrows the policy later, and its deliveries are refused when sent.
    /// </remarks>
    private AutomationDefinition? Validate(string definitionJson, out IReadOnlyList<DefinitionError> errors)
    {
        var problems = new List<SegmentDefinitionError>();
        using var document = JsonDocument.Parse(definitionJson);
        var definition = AutomationDefinitionParser.Parse(document.RootElement, problems);
        if (definition is not null && addresses.RefuseUrl(definition.Webhook.Url) is { } refused)
        {
            problems.Add(new("action.webhook.url", refused));
            definition = null;
        }

        errors = [.. problems.Select(p => new DefinitionError(p.Path, p.Message))];
        return definition;
    }

    private async Task SaveAsync(AutomationInfo info)
    {
        state.State.Automations[info.Id] = info;
        state.State.Version++;
        await state.WriteStateAsync();
        cache.Invalidate(AppId);
    }
}
