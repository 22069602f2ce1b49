using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Streams;
using ProductEvents.Abstractions.Segments;

namespace ProductEvents.Grains.Segments;

/// <summary>
/// The membership streams contacts publish on: one handle per segment for the whole silo. A grain's own
/// <c>GetStream</c> keeps a stream directory, a handle and a producer in every activation that publishes, which for
/// a hundred thousand active contacts is a hundred megabytes the garbage collector walks. A handle holds no state of
/// the grain that uses it: publishing only queues the change.
/// </summary>
public sealed class MembershipStreams(IServiceProvider services)
{
    /// <summary>Handles kept before the cache starts over (segments deleted and created again leave theirs behind).</summary>
    internal const int MaxHandles = 10_000;

    private readonly ConcurrentDictionary<string, IAsyncStream<MembershipChange>> _streams = new(StringComparer.Ordinal);
    private IStreamProvider? _provider;

    public IAsyncStream<MembershipChange> Of(string segmentKey)
    {
        if (_streams.TryGetValue(segmentKey, out var stream))
        {
            return stream;
        }

        if (_streams.Count >= MaxHandles)
        {
            _streams.Clear();
        }

        _provider ??= services.GetRequiredKeyedService<IStreamProvider>(StreamNames.Provider);
        return _streams.GetOrAdd(segmentKey, _provider.GetStream<MembershipChange>(StreamId.Create(StreamNames.SegmentMembership, segmentKey)));
    }
}
