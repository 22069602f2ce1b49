using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ProductEvents.Abstractions;
using ProductEvents.Api.Tests.Support;
using ProductEvents.Storage.EventLog;

namespace ProductEvents.Api.Tests.Ingest;

/// <summary>
/// PostgreSQL can go away after it committed and before its reply arrived: the request is answered 503, yet its entries
/// are in the log, and a retry of its <c>event_id</c> is answered as a duplicate. The grains must still hold those
/// entries, although a later event of the same product and contact (a higher log position) was applied first.
/// </summary>
public sealed class LostCommitReplyTests
{
    [Fact]
    public async Task EntriesOfACommitWhoseReplyWasLostReachTheirGrainsBeforeAnyLaterEntry()
    {
        await using var host = await new TestHostBuilder()
            .WithApp(Keys.Alpha, Keys.AlphaSecret)
            .Configure(builder => builder.Host.UseServiceProviderFactory(new LastWordFactory(
                services => services.AddSingleton<IEventLog>(sp => new ReplyLosingEventLog(sp.GetRequiredService<InMemoryEventLog>())))))
            .StartAsync();
        var log = Assert.IsType<ReplyLosingEventLog>(host.Services.GetRequiredService<IEventLog>());
        var api = new ApiClient(host.CreateClient(), Keys.AlphaSecret);
        var (productId, userId) = (Ids.Product(), Ids.User());
        var eventId = $"lost-{Guid.NewGuid():N}";
        var lost = Bodies.Event(productId, userId, "purchase");
        lost["event_id"] = eventId;

        // The grains are active and hold a position before the lost commit; a cold grain would read it from the log.
        await api.IngestAsync(Bodies.Event(productId, userId, "view"));
        log.LoseReplyOf(eventId);
        using (var refused = await api.PostJsonAsync("/api/v1/product-events", lost))
        {
            await Http.AssertProblemAsync(refused, HttpStatusCode.ServiceUnavailable);
            Assert.NotNull(refused.Headers.RetryAfter);
        }

        await api.IngestAsync(Bodies.Event(productId, userId, "view"));

        await AssertHoldsAsync(purchases: 1);
        using (var retried = await api.PostJsonAsync("/api/v1/product-events", lost))
        {
            var answer = await Http.ReadJsonAsync(retried);
            Assert.True(retried.StatusCode == HttpStatusCode.Accepted, answer.ToJsonString());
            Assert.True(answer["duplicate"]!.GetValue<bool>());
        }

        await AssertHoldsAsync(purchases: 1);

        // Retried at once, before anything else commits, while the read of the log is slow: the "duplicate" answer
        // reads what the lost commit wrote all the same.
        var again = Bodies.Event(productId, userId, "purchase");
        again["event_id"] = $"lost-{Guid.NewGuid():N}";
        log.LoseReplyOf(again["event_id"]!.GetValue<string>(), slowReadBack: TimeSpan.FromSeconds(1));
        using (var refused = await api.PostJsonAsync("/api/v1/product-events", again))
        {
            await Http.AssertProblemAsync(refused, HttpStatusCode.ServiceUnavailable);
        }

        using (var retried = await api.PostJsonAsync("/api/v1/product-events", again))
        {
            Assert.True((await Http.ReadJsonAsync(retried))["duplicate"]!.GetValue<bool>());
        }

        await AssertHoldsAsync(purchases: 2);

        async Task AssertHoldsAsync(int purchases)
        {
            var counts = (await api.GetJsonAsync($"/api/v1/products/{productId}"))["event_counts"]!.AsObject();
            Assert.Equal([$"purchase:{purchases}", "view:2"], counts.Select(c => $"{c.Key}:{c.Value}").Order());
            var contact = await api.GetJsonAsync($"/api/v1/contacts/{userId}");
            Assert.Equal(2 + purchases, contact["event_count"]!.GetValue<int>());
            Assert.Equal(["purchase", "view"], contact["interactions"]!.AsArray().Select(i => i!["event_type"]!.GetValue<string>()).Order());
        }
    }

    /// <summary>Registers services after the host's own (the storage is registered after a test's configuration).</summary>
    private sealed class LastWordFactory(Action<IServiceCollection> register) : IServiceProviderFactory<IServiceCollection>
    {
        private readonly DefaultServiceProviderFactory _default = new();

        public IServiceCollection CreateBuilder(IServiceCollection services)
        {
            register(services);
            return services;
        }

        public IServiceProvider CreateServiceProvider(IServiceCollection containerBuilder) => _default.CreateServiceProvider(containerBuilder);
    }

    /// <summary>The in-memory log, but for commits of chosen event_ids: those commit, then fail as a lost reply does.</summary>
    private sealed class ReplyLosingEventLog(InMemoryEventLog inner) : IEventLog
    {
        private readonly ConcurrentDictionary<string, TimeSpan> _losing = new(StringComparer.Ordinal);
        private long _slowReadsUntil;

        /// <param name="slowReadBack">How long the next reads of the log after the lost reply take (PostgreSQL coming back).</param>
        public void LoseReplyOf(string eventId, TimeSpan slowReadBack = default) => _losing[eventId] = slowReadBack;

        public async Task<AppendResult> AppendAsync(IReadOnlyList<ProductEventRecord> events, CancellationToken cancellationToken = default)
        {
            var appended = await inner.AppendAsync(events, cancellationToken);
            foreach (var e in events)
            {
                if (e.EventId is not null && _losing.TryRemove(e.EventId, out var slow))
                {
                    Interlocked.Exchange(ref _slowReadsUntil, (DateTimeOffset.UtcNow + slow).UtcTicks);
                    throw new EventLogUnavailableException("The connection closed before the reply to COMMIT arrived.");
                }
            }

            return appended;
        }

        public Task<WriterTakeover> TakeOverAsync(string holder, CancellationToken cancellationToken = default) => inner.TakeOverAsync(holder, cancellationToken);

        public Task RecordAppliedAsync(long seq, CancellationToken cancellationToken = default) => inner.RecordAppliedAsync(seq, cancellationToken);

        public async Task<IReadOnlyList<ProductEventRecord>> ReadAfterAsync(long afterSeq, int limit, CancellationToken cancellationToken = default)
        {
            var slow = new DateTimeOffset(Interlocked.Read(ref _slowReadsUntil), TimeSpan.Zero) - DateTimeOffset.UtcNow;
            if (slow > TimeSpan.Zero)
            {
                await Task.Delay(slow, cancellationToken);
            }

            return await inner.ReadAfterAsync(afterSeq, limit, cancellationToken);
        }

        public Task<AppEntries> ReadAppAfterAsync(string appId, long afterSeq, int limit, CancellationToken cancellationToken = default) =>
            inner.ReadAppAfterAsync(appId, afterSeq, limit, cancellationToken);

        public Task<EventPage> QueryAsync(EventQuery query, CancellationToken cancellationToken = default) => inner.QueryAsync(query, cancellationToken);

        public Task<IReadOnlyList<(string AppId, ContactRef Contact)>> ListRecentContactsAsync(TimeSpan window, int maxEntries, CancellationToken cancellationToken = default) =>
            inner.ListRecentContactsAsync(window, maxEntries, cancellationToken);

        public Task<long> CountAsync(EventQuery query, CancellationToken cancellationToken = default) => inner.CountAsync(query, cancellationToken);

        public Task<string> AddAliasAsync(string appId, string userKey, string userId, CancellationToken cancellationToken = default) =>
            inner.AddAliasAsync(appId, userKey, userId, cancellationToken);

        public Task<IReadOnlyDictionary<string, string>> ResolveAliasesAsync(string appId, IReadOnlyCollection<string> userKeys, CancellationToken cancellationToken = default) =>
            inner.ResolveAliasesAsync(appId, userKeys, cancellationToken);

        public Task<bool> IsReadyAsync(CancellationToken cancellationToken = default) => inner.IsReadyAsync(cancellationToken);

        public string Describe() => inner.Describe();

        public IAsyncEnumerable<ProductEventRecord> ReadProductAsync(string appId, string productId, long afterSeq, CancellationToken cancellationToken = default) =>
            inner.ReadProductAsync(appId, productId, afterSeq, cancellationToken);

        public IAsyncEnumerable<ProductEventRecord> ReadContactAsync(string appId, ContactRef contact, long afterSeq, CancellationToken cancellationToken = default) =>
            inner.ReadContactAsync(appId, contact, afterSeq, cancellationToken);

        public Task<IReadOnlyList<ContactRef>> ListContactsAsync(string appId, string? afterContactKey, int limit, CancellationToken cancellationToken = default) =>
            inner.ListContactsAsync(appId, afterContactKey, limit, cancellationToken);

        public Task<long> CountContactsAsync(string appId, CancellationToken cancellationToken = default) => inner.CountContactsAsync(appId, cancellationToken);

        public Task<IReadOnlyList<ContactRef>> ListContactsOfProductAsync(string appId, string productId, CancellationToken cancellationToken = default) =>
            inner.ListContactsOfProductAsync(appId, productId, cancellationToken);

        public Task<IReadOnlyList<string>> ReadAliasedKeysAsync(string appId, string userId, CancellationToken cancellationToken = default) =>
            ((IEventLogReader)inner).ReadAliasedKeysAsync(appId, userId, cancellationToken);
    }
}
