using System.Security.Cryptography;
using System.Text.Json;
using ProductEvents.Abstractions.Segments;
using ProductEvents.Storage.Segments;

namespace ProductEvents.Grains.Segments;

/// <summary>
/// One app's segment definitions. Every change bumps the version silos compare, and starts a build. The registry never
/// waits on a segment grain: builds and deletions are one-way messages, because a build waits on contacts, and contacts
/// read the definitions here (through <see cref="SegmentDefinitionCache"/>) and segments report their builds here.
/// </summary>
public sealed class SegmentRegistryGrain(
    [PersistentState("segments", StorageNames.Snapshots)] IPersistentState<SegmentRegistryState> state,
    SegmentDefinitionCache cache,
    TimeProvider clock) : Grain, ISegmentRegistryGrain
{
    public const int MaxSegmentsPerApp = 100;

    private string AppId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A build cut short by a restart goes on where its segment grain left it; a deletion whose rows may be left is
        // asked again.
        foreach (var segment in state.State.Segments.Values.Where(s => s.Status == SegmentStatus.Building))
        {
            await Segment(segment.Id).StartBuildAsync(segment.Version);
        }

        foreach (var segmentId in state.State.Deleting)
        {
            await Segment(segmentId).DeleteAsync();
        }
    }

    public async Task<SegmentWriteResult> CreateAsync(string name, string conditionJson)
    {
        if (state.State.Segments.Count >= MaxSegmentsPerApp)
        {
            return new SegmentWriteResult(null, [new DefinitionError("", $"An app may define at most {MaxSegmentsPerApp} segments.")], LimitReached: true);
        }

        if (Canonical(conditionJson, out var errors) is not { } canonical)
        {
            return new SegmentWriteResult(null, errors);
        }

        var now = clock.GetUtcNow();
        var id = "seg_" + RandomNumberGenerator.GetHexString(12, lowercase: true);
        var info = new SegmentInfo(id, name, canonical, 1, SegmentStatus.Building, 0, now, now);
        await SaveAsync(info);
        await Segment(id).StartBuildAsync(info.Version);
        return new SegmentWriteResult(info, []);
    }

    public async Task<SegmentWriteResult?> UpdateAsync(string segmentId, string name, string conditionJson)
    {
        if (!state.State.Segments.TryGetValue(segmentId, out var current))
        {
            return null;
        }

        if (Canonical(conditionJson, out var errors) is not { } canonical)
        {
            return new SegmentWriteResult(null, errors);
        }

        var info = current with
        {
            Name = name, ConditionJson = canonical, Version = current.Version + 1,
            Status = SegmentStatus.Building, Progress = 0, UpdatedAt = clock.GetUtcNow(),
        };
        await SaveAsync(info);
        await Segment(segmentId).StartBuildAsync(info.Version);
        return new SegmentWriteResult(info, []);
    }

    /// <summary>The condition in canonical JSON, or null with the errors that name each offending path.</summary>
    private static string? Canonical(string conditionJson, out IReadOnlyList<DefinitionError> errors)
    {
        using var document = JsonDocument.Parse(conditionJson);
        var condition = SegmentConditionParser.Parse(document.RootElement, out var problems);
        errors = [.. problems.Select(p => new DefinitionError(p.Path, p.Message))];
        return condition is null ? null : SegmentConditionJson.Write(condition);
    }

    public async Task<bool> DeleteAsync(string segmentId)
    {
        if (!state.State.Segments.Remove(segmentId))
        {
            return false;
        }

        state.State.Deleting.Add(segmentId);
        state.State.Version++;
        await state.WriteStateAsync();
        cache.Invalidate(AppId);

        // The segment grain stops taking changes, then deletes its rows (none is written after), then confirms.
        await Segment(segmentId).DeleteAsync();
        return true;
    }

    public async Task SegmentDeletedAsync(string segmentId)
    {
        if (state.State.Deleting.Remove(segmentId))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<SegmentInfo?> GetAsync(string segmentId) => Task.FromResult(state.State.Segments.GetValueOrDefault(segmentId));

    public Task<IReadOnlyList<SegmentInfo>> ListAsync() =>
        Task.FromResult<IReadOnlyList<SegmentInfo>>([.. state.State.Segments.Values.OrderBy(s => s.CreatedAt).ThenBy(s => s.Id, StringComparer.Ordinal)]);

    public Task<long> GetVersionAsync() => Task.FromResult(state.State.Version);

    public async Task<bool> ReportBuildAsync(string segmentId, int version, double progress, bool done)
    {
        if (!state.State.Segments.TryGetValue(segmentId, out var info) || info.Version != version)
        {
            return false;
        }

        // Progress is informational and cheap to lose; only the end of a build is written at once.
        state.State.Segments[segmentId] = info with { Progress = done ? 1 : Math.Min(progress, 0.99), Status = done ? SegmentStatus.Ready : SegmentStatus.Building };
        if (done)
        {
            await state.WriteStateAsync();
        }

        return true;
    }

    private async Task SaveAsync(SegmentInfo info)
    {
        state.State.Segments[info.Id] = info;
        state.State.Version++;
        await state.WriteStateAsync();
        cache.Invalidate(AppId);
    }

    private ISegmentGrain Segment(string segmentId) => GrainFactory.GetGrain<ISegmentGrain>(GrainKeys.Segment(AppId, segmentId));
}
