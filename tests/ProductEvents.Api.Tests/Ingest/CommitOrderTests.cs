using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ProductEvents.Abstractions;
using ProductEvents.Api.EventLog;
using ProductEvents.Api.Ingest;

namespace ProductEvents.Api.Tests.Ingest;

/// <summary>
/// The writer stages the next commit while the last one commits, but starts a commit only once the one before it has
/// finished: commits become visible in log order.
/// </summary>
public sealed class CommitOrderTests
{
    [Fact]
    public async Task TheNextCommitIsStagedWhileTheLastCommitsAndCommittedOnlyAfterIt()
    {
        var log = new GatedLog();
        using var pipeline = new IngestPipeline(log, null!, Options.Create(new IngestOptions()), NullLogger<IngestPipeline>.Instance);
        await pipeline.StartAsync(CancellationToken.None);

        var first = pipeline.SubmitAsync([Event()]);
        await log.CommitStarted(0);
        var second = pipeline.SubmitAsync([Event()]);
        await log.Staged(1);

        // Staged while the first commits, but not committing yet.
        Assert.False(log.HasCommitStarted(1));
        Assert.False(first.IsCompleted);

        log.Release(0);
        Assert.Single(await first);
        await log.CommitStarted(1);
        Assert.False(second.IsCompleted);
        log.Release(1);
        Assert.Single(await second);
        Assert.Equal(["stage 0", "commit 0", "stage 1", "committed 0", "commit 1", "committed 1"], log.Steps);

        await pipeline.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task AFailedCommitFailsOnlyItsOwnRequestsAndTheNextStillCommits()
    {
        var log = new GatedLog { FailCommit = 0 };
        using var pipeline = new IngestPipeline(log, null!, Options.Create(new IngestOptions()), NullLogger<IngestPipeline>.Instance);
        await pipeline.StartAsync(CancellationToken.None);

        var first = pipeline.SubmitAsync([Event()]);
        await log.CommitStarted(0);
        var second = pipeline.SubmitAsync([Event()]);
        await log.Staged(1);
        log.Release(0);
        await Assert.ThrowsAsync<EventLogUnavailableException>(() => first);
        await log.CommitStarted(1);
        log.Release(1);
        Assert.Single(await second);

        await pipeline.StopAsync(CancellationToken.None);
    }

    private static ProductEventRecord Event() => new(
        0, Guid.NewGuid(), "app", "p1", ProductEventType.View, "u1", null, null, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch,
        null, new Dictionary<string, AttributeValue>(), null);

    /// <summary>
    /// A log whose commits wait until the test releases them. Each committed event is answered as a duplicate, so
    /// nothing goes on to the grains.
    /// </summary>
    private sealed class GatedLog : IEventLog
    {
        private readonly List<TaskCompletionSource> _staged = [];
        private readonly List<TaskCompletionSource> _started = [];
        private readonly List<TaskCompletionSource> _released = [];

        public int? FailCommit { get; init; }

        public List<string> Steps { get; } = [];

        public Task Staged(int n) => Slot(_staged, n).Task.WaitAsync(TimeSpan.FromSeconds(10));

        public Task CommitStarted(int n) => Slot(_started, n).Task.WaitAsync(TimeSpan.FromSeconds(10));

        public bool HasCommitStarted(int n) => Slot(_started, n).Task.IsCompleted;

        public void Release(int n) => Slot(_released, n).TrySetResult();

        public Task<IStagedAppend> StageAsync(IReadOnlyList<ProductEventRecord> events, CancellationToken cancellationToken = default)
        {
            int n;
            lock (Steps)
            {
                n = Steps.Count(s => s.StartsWith("stage", StringComparison.Ordinal));
                Steps.Add($"stage {n}");
            }

            Slot(_staged, n).TrySetResult();
            return Task.FromResult<IStagedAppend>(new Stage(this, n, events));
        }

        private TaskCompletionSource Slot(List<TaskCompletionSource> slots, int n)
        {
            lock (slots)
            {
                while (slots.Count <= n)
                {
                    slots.Add(new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                }

                return slots[n];
            }
        }

        private sealed class Stage(GatedLog log, int n, IReadOnlyList<ProductEventRecord> events) : IStagedAppend
        {
            public async Task<AppendOutcome[]> CommitAsync(CancellationToken cancellationToken = default)
            {
                lock (log.Steps)
                {
                    log.Steps.Add($"commit {n}");
                }

                log.Slot(log._started, n).TrySetResult();
                await log.Slot(log._released, n).Task;
                lock (log.Steps)
                {
                    log.Steps.Add($"committed {n}");
                }

                return n == log.FailCommit
                    ? throw new EventLogUnavailableException("The commit failed.")
                    : [.. events.Select(e => AppendOutcome.Duplicate(e.Id))];
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }

        public Task<AppendOutcome[]> AppendAsync(IReadOnlyList<ProductEventRecord> events, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<EventPage> QueryAsync(EventQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<NewKeys> FindNewKeysAsync(
            IReadOnlyList<ProductEventRecord> productEntries, IReadOnlyList<ProductEventRecord> contactEntries, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<IReadOnlyList<(string AppId, ContactRef Contact)>> ListRecentContactsAsync(TimeSpan window, int maxEntries, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<long> CountAsync(EventQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<string> AddAliasAsync(string appId, string userKey, string userId, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<IReadOnlyDictionary<string, string>> ResolveAliasesAsync(string appId, IReadOnlyCollection<string> userKeys, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<bool> IsReadyAsync(CancellationToken cancellationToken = default) => Task.FromResult(true);

        public string Describe() => "gated";

        public IAsyncEnumerable<ProductEventRecord> ReadProductAsync(string appId, string productId, long afterSeq, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public IAsyncEnumerable<ProductEventRecord> ReadContactAsync(string appId, ContactRef contact, long afterSeq, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<IReadOnlyList<ContactRef>> ListContactsAsync(string appId, string? afterContactKey, int limit, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<long> CountContactsAsync(string appId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlyList<ContactRef>> ListContactsOfProductAsync(string appId, string productId, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();
    }
}
