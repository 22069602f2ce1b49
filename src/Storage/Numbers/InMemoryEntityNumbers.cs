namespace ProductEvents.Storage.Numbers;

/// <summary>The embedded default's numbers: gone with the process, like everything they name.</summary>
public sealed class InMemoryEntityNumbers : IEntityNumbers
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string AppId, NumberedKey Key), long> _numbers = [];
    private readonly Dictionary<long, (string AppId, NumberedKey Key)> _keys = [];
    private long _last;

    public Task<long[]> GetOrAssignAsync(string appId, IReadOnlyList<NumberedKey> keys, CancellationToken cancellationToken = default)
    {
        var numbers = new long[keys.Count];
        lock (_gate)
        {
            for (var i = 0; i < keys.Count; i++)
            {
                if (!_numbers.TryGetValue((appId, keys[i]), out numbers[i]))
                {
                    numbers[i] = ++_last;
                    _numbers[(appId, keys[i])] = numbers[i];
                    _keys[numbers[i]] = (appId, keys[i]);
                }
            }
        }

        return Task.FromResult(numbers);
    }

    public Task<NumberedKey?> FindAsync(string appId, long number, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<NumberedKey?>(_keys.TryGetValue(number, out var found) && found.AppId == appId ? found.Key : null);
        }
    }

    public Task<long?> FindNumberAsync(string appId, NumberedKey key, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<long?>(_numbers.TryGetValue((appId, key), out var number) ? number : null);
        }
    }

    public Task ForgetAsync(string appId, IReadOnlyList<NumberedKey> keys, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            foreach (var key in keys)
            {
                if (_numbers.Remove((appId, key), out var number))
                {
                    _keys.Remove(number);
                }
            }
        }

        return Task.CompletedTask;
    }
}
