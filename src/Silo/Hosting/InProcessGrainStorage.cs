using System.Collections.Concurrent;
using Orleans.Serialization;
using Orleans.Storage;

namespace ProductEvents.Silo.Hosting;

/// <summary>
/// Grain storage in this process's memory, for the embedded default (one silo, nothing durable). Orleans' own memory
/// storage keeps states in storage grains, so a grain writing while the silo stops (its snapshot timer, its
/// deactivation) met storage grains that were deactivating and printed pages of placement errors; here a write is a
/// dictionary update. States are deep copies, and writes check the ETag as a real store does (a stale writer gets
/// <see cref="InconsistentStateException"/>).
/// </summary>
public sealed class InProcessGrainStorage(DeepCopier copier) : IGrainStorage
{
    private readonly ConcurrentDictionary<(string State, GrainId Grain), (object Value, string ETag)> _states = new();
    private readonly Lock _writes = new();
    private long _version;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_states.TryGetValue((stateName, grainId), out var stored))
        {
            grainState.State = copier.Copy((T)stored.Value);
            grainState.ETag = stored.ETag;
            grainState.RecordExists = true;
        }
        else
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var value = copier.Copy(grainState.State)!;
        lock (_writes)
        {
            var key = (stateName, grainId);
            CheckETag(key, grainState.ETag);
            var etag = (++_version).ToString(System.Globalization.CultureInfo.InvariantCulture);
            _states[key] = (value, etag);
            grainState.ETag = etag;
            grainState.RecordExists = true;
        }

        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        lock (_writes)
        {
            var key = (stateName, grainId);
            CheckETag(key, grainState.ETag);
            _states.TryRemove(key, out _);
            grainState.ETag = null;
            grainState.RecordExists = false;
            grainState.State = Activator.CreateInstance<T>();
        }

        return Task.CompletedTask;
    }

    private void CheckETag((string State, GrainId Grain) key, string? expected)
    {
        var stored = _states.TryGetValue(key, out var current) ? current.ETag : null;
        if (stored != expected)
        {
            throw new InconsistentStateException($"State {key.State} of {key.Grain} was written by another activation", stored ?? "", expected ?? "");
        }
    }
}
