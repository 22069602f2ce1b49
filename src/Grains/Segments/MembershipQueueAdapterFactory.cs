using Orleans.Providers;
using Orleans.Streams;

namespace ProductEvents.Grains.Segments;

/// <summary>
/// Orleans' memory stream adapter for the membership streams, with queue reads that the stream's pulling agent does not
/// cancel. When a silo stops, the agent cancels its token while a read of the memory queue grain may be in flight, and
/// the memory receiver logs that cancelled call as an error (a <c>fail:</c> line whenever a stop finds a read in flight,
/// with the agents polling every 10 ms). The receiver's own
/// <c>Shutdown</c> already waits for the reads in flight, and a read of a queue grain ends as soon as that grain answers,
/// so the read is left to end instead.
/// </summary>
internal sealed class MembershipQueueAdapterFactory(IQueueAdapterFactory memory) : IQueueAdapterFactory
{
    public static IQueueAdapterFactory Create(IServiceProvider services, string name) =>
        new MembershipQueueAdapterFactory(MemoryAdapterFactory<DefaultMemoryMessageBodySerializer>.Create(services, name));

#pragma warning disable CS0618 // Both overloads pass on to the memory factory's own, whichever the runtime calls.
    public async Task<IQueueAdapter> CreateAdapter() => new Adapter(await memory.CreateAdapter());
#pragma warning restore CS0618

    public async Task<IQueueAdapter> CreateAdapter(CancellationToken cancellationToken) =>
        new Adapter(await memory.CreateAdapter(cancellationToken));

    public IQueueAdapterCache GetQueueAdapterCache() => memory.GetQueueAdapterCache();

    public IStreamQueueMapper GetStreamQueueMapper() => memory.GetStreamQueueMapper();

    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) => memory.GetDeliveryFailureHandler(queueId);

    private sealed class Adapter(IQueueAdapter memory) : IQueueAdapter
    {
        public string Name => memory.Name;

        public bool IsRewindable => memory.IsRewindable;

        public StreamProviderDirection Direction => memory.Direction;

        public Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext) =>
            memory.QueueMessageBatchAsync(streamId, events, token, requestContext);

        public IQueueAdapterReceiver CreateReceiver(QueueId queueId) => new Receiver(memory.CreateReceiver(queueId));
    }

    /// <summary>Passes every call on as it came, except that a read ignores the pulling agent's token.</summary>
    private sealed class Receiver(IQueueAdapterReceiver memory) : IQueueAdapterReceiver
    {
#pragma warning disable CS0618 // The overloads without a token, passed on as they came.
        public Task Initialize(TimeSpan timeout) => memory.Initialize(timeout);

        public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount) => memory.GetQueueMessagesAsync(maxCount);

        public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => memory.MessagesDeliveredAsync(messages);

        public Task Shutdown(TimeSpan timeout) => memory.Shutdown(timeout);
#pragma warning restore CS0618

        public Task Initialize(TimeSpan timeout, CancellationToken cancellationToken) => memory.Initialize(timeout, cancellationToken);

        public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount, CancellationToken cancellationToken) =>
            memory.GetQueueMessagesAsync(maxCount, CancellationToken.None);

        public Task MessagesDeliveredAsync(IList<IBatchContainer> messages, CancellationToken cancellationToken) =>
            memory.MessagesDeliveredAsync(messages, cancellationToken);

        public Task Shutdown(TimeSpan timeout, CancellationToken cancellationToken) => memory.Shutdown(timeout, cancellationToken);
    }
}
