using System.Diagnostics;
using System.Text.Json;
using Orleans.Concurrency;
using ProductEvents.Abstractions.Analytics;
using ProductEvents.Abstractions.Segments;
using ProductEvents.Grains.Ingest;
using ProductEvents.Grains.Projections;
using ProductEvents.Grains.Segments;
using ProductEvents.Storage.EventLog;

namespace ProductEvents.Grains.Analytics;

/// <summary>
/// One app's analytics index (<see cref="AnalyticsIndex"/>). On activation it reads the app's entries from the log in
/// the background (queries answer "loading" meanwhile, and the writer's pushes wait in memory); then it takes the
/// writer's pushes. A push whose range starts after what the index holds (a push was lost, or the writer changed)
/// makes it read the gap from the log first; entries at or below what it holds are skipped, so nothing counts twice.
/// </summary>
[KeepAlive]
public sealed class AnalyticsGrain(
    IEventLog log, IOptions<ProjectionOptions> projections, IOptions<IngestOptions> ingest, TimeProvider clock, ILogger<AnalyticsGrain> logger)
    : Grain, IAnalyticsProjectionGrain
{
    /// <summary>Entries read from the log per statement, loading or catching up.</summary>
    public const int ReadPage = 10_000;

    /// <summary>How long a query waits for a loading index before it answers "loading".</summary>
    public static readonly TimeSpan LoadWait = TimeSpan.FromSeconds(2);

    /// <summary>How long a search evaluates contacts before it answers what it has.</summary>
    public static readonly TimeSpan SearchBudget = TimeSpan.FromMilliseconds(600);

    private readonly AnalyticsIndex _index = new();
    private readonly Dictionary<string, string> _mergedInto = new(StringComparer.Ordinal);
    private readonly List<AnalyticsPush> _waiting = [];
    private Task _load = Task.CompletedTask;
    private bool _loaded;
    private long _through;

    private string AppId => this.GetPrimaryKeyString();

    private IndexState State => new(!_loaded, _index.Entries, _through);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Not awaited: queries answer "loading" meanwhile, and pushes wait in memory. With analytics off the index stays
        // empty and every call finds nothing to do.
        _loaded = !ingest.Value.Analytics;
        _load = ingest.Value.Analytics ? LoadAsync() : Task.CompletedTask;
        return Task.CompletedTask;
    }

    public async Task ApplyAsync(AnalyticsPush push)
    {
        if (!ingest.Value.Analytics)
        {
            return;
        }

        if (!_loaded)
        {
            _waiting.Add(push);
            return;
        }

        await TakeAsync(push);
    }

    public async Task ForgetContactsAsync(IReadOnlyList<ContactRef> contacts)
    {
        await _load;
        if (!ingest.Value.Analytics)
        {
            return;
        }

        await CatchUpAsync(long.MaxValue);
        var forgotten = contacts.Sum(_index.ForgetContact);
        logger.LogInformation("Analytics of app {App}: {Count} entries of {Contacts} erased contacts forgotten", AppId, forgotten, contacts.Count);
    }

    public async Task ForgetEntriesAsync(long[] positions)
    {
        await _load;
        var forgotten = _index.ForgetPositions(positions);
        logger.LogInformation("Analytics of app {App}: {Count} entries forgotten (retention)", AppId, forgotten);
    }

    public async Task ForgetReceivedBeforeAsync(DateTimeOffset before)
    {
        await _load;
        var forgotten = _index.ForgetReceivedBefore(before);
        logger.LogInformation("Analytics of app {App}: {Count} entries received before {Before} forgotten (retention)", AppId, forgotten, before);
    }

    public Task MergeVisitorsAsync(string userId, IReadOnlyList<string> userKeys)
    {
        foreach (var key in userKeys)
        {
            Merge(key, userId);
        }

        return Task.CompletedTask;
    }

    [ReadOnly]
    public async Task<CountsAnswer> CountsAsync(CountsQuery query)
    {
        if (!await LoadedAsync())
        {
            return new CountsAnswer(State, [], [], query.Until);
        }

        var zone = TimeZoneInfo.FindSystemTimeZoneById(query.TimeZone);
        var boundaries = TimeBuckets.Boundaries(query.Since, query.Until, query.Interval, zone)
            ?? throw new ArgumentException($"The range needs more than {TimeBuckets.MaxBuckets} buckets.", nameof(query));
        var series = _index.Counts(boundaries, query);
        return new CountsAnswer(
            State, [.. boundaries.Take(boundaries.Length - 1).Select(t => new DateTimeOffset(t, TimeSpan.Zero))], series, new DateTimeOffset(boundaries[^1], TimeSpan.Zero));
    }

    [ReadOnly]
    public async Task<FunnelAnswer> FunnelAsync(string definitionJson)
    {
        var funnel = FunnelDefinition.Parse(definitionJson, clock.GetUtcNow(), out var errors);
        if (funnel is null)
        {
            return new FunnelAnswer(State, [.. errors.Select(e => new DefinitionError(e.Path, e.Message))], default, default, default, [], []);
        }

        if (!await LoadedAsync())
        {
            return new FunnelAnswer(State, [], funnel.Since, funnel.Until, funnel.Within, [], []);
        }

        var (steps, breakdown) = _index.Funnel(funnel);
        return new FunnelAnswer(State, [], funnel.Since, funnel.Until, funnel.Within, steps, breakdown);
    }

    [ReadOnly]
    public async Task<TopProductsAnswer> TopProductsAsync(TopProductsQuery query) =>
        await LoadedAsync()
            ? new TopProductsAnswer(State, _index.TopProducts(query, clock.GetUtcNow()))
            : new TopProductsAnswer(State, []);

    [ReadOnly]
    public async Task<ContactSearchAnswer> SearchContactsAsync(string conditionJson, int limit, int cursor)
    {
        SegmentCondition? condition;
        IReadOnlyList<SegmentDefinitionError> errors;
        try
        {
            using var document = JsonDocument.Parse(conditionJson, new JsonDocumentOptions { MaxDepth = 64 });
            condition = SegmentConditionParser.Parse(document.RootElement, out errors);
        }
        catch (JsonException)
        {
            condition = null;
            errors = [new SegmentDefinitionError("condition", "must be a JSON object")];
        }

        if (condition is null)
        {
            return new ContactSearchAnswer(State, [.. errors.Select(e => new DefinitionError(e.Path, e.Message))], [], null, 0, true, 0);
        }

        if (!await LoadedAsync())
        {
            return new ContactSearchAnswer(State, [], [], null, 0, false, 0);
        }

        return _index.Search(State, condition, limit, cursor, clock.GetUtcNow(), projections.Value.MaxInteractionsPerContact, SearchBudget);
    }

    [ReadOnly]
    public async Task<ProductSearchAnswer> SearchProductsAsync(string? productFiltersJson, string? text, int limit, int cursor)
    {
        IReadOnlyList<ProductFilter> filters = [];
        if (productFiltersJson is not null)
        {
            var errors = new List<SegmentDefinitionError>();
            using (var document = JsonDocument.Parse(productFiltersJson, new JsonDocumentOptions { MaxDepth = 64 }))
            {
                filters = SegmentConditionParser.ParseProductFilters(document.RootElement, "product", errors) ?? [];
            }

            if (errors.Count > 0)
            {
                return new ProductSearchAnswer(State, [.. errors.Select(e => new DefinitionError(e.Path, e.Message))], [], null, 0);
            }
        }

        return await LoadedAsync()
            ? _index.SearchProducts(State, filters, text, limit, cursor)
            : new ProductSearchAnswer(State, [], [], null, 0);
    }

    /// <summary>Whether the index has loaded, waiting up to <see cref="LoadWait"/> for a load under way.</summary>
    private async Task<bool> LoadedAsync()
    {
        if (!_loaded)
        {
            await Task.WhenAny(_load, Task.Delay(LoadWait, clock));
        }

        return _loaded;
    }

    /// <summary>Reads the app's entries from the log, then takes the pushes that came meanwhile.</summary>
    private async Task LoadAsync()
    {
        var started = Stopwatch.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await CatchUpAsync(long.MaxValue);
                break;
            }
            catch (Exception ex) when (attempt < 1_000_000)
            {
                if (attempt == 1 || attempt % 10 == 0)
                {
                    logger.LogWarning(ex, "Analytics of app {App} could not read the log (attempt {Attempt}); trying again", AppId, attempt);
                }

                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 5)));
            }
        }

        // Pushes keep coming while one waiting is taken (taking may read the log): the loop ends when none waits.
        while (_waiting.Count > 0)
        {
            var push = _waiting[0];
            _waiting.RemoveAt(0);
            await TakeAsync(push);
        }

        _loaded = true;
        logger.LogInformation(
            "Analytics of app {App} loaded: {Entries} entries, {Contacts} contacts, {Products} products in {Seconds:F1} s",
            AppId, _index.Entries, _index.LiveContacts, _index.ProductCount, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    private async Task TakeAsync(AnalyticsPush push)
    {
        if (push.From > _through)
        {
            await CatchUpAsync(push.From);
        }

        for (var i = 0; i < push.Entries.Length; i++)
        {
            if (push.Entries[i].Seq > _through)
            {
                Add(push.Entries[i], push.Contacts[i]);
            }
        }

        _through = Math.Max(_through, push.Through);
    }

    /// <summary>Reads the app's entries after what the index holds, until it holds those through <paramref name="position"/> (or the log's newest).</summary>
    private async Task CatchUpAsync(long position)
    {
        while (_through < position)
        {
            var read = await log.ReadAppAfterAsync(AppId, _through, ReadPage);
            var owners = await ContactRouting.OwnersAsync(log, read.Entries);
            foreach (var entry in read.Entries)
            {
                if (entry.Seq > _through)
                {
                    Add(entry, ContactRouting.ContactOf(entry, owners));
                }
            }

            var advanced = read.Through > _through;
            _through = Math.Max(_through, read.Through);
            if (read.Entries.Count < ReadPage || !advanced)
            {
                break;
            }
        }
    }

    private void Add(ProductEventRecord entry, ContactRef contact)
    {
        if (contact.IsAnonymous && _mergedInto.TryGetValue(contact.Value, out var user))
        {
            contact = ContactRef.User(user);
        }
        else if (entry.UserId is not null && entry.UserKey is not null)
        {
            // An event with both ids claims the visitor for its user, unless another user claimed it first.
            Merge(entry.UserKey, entry.UserId);
        }

        _index.Add(entry, contact);
    }

    private void Merge(string userKey, string userId)
    {
        if (_mergedInto.TryAdd(userKey, userId))
        {
            _index.MergeVisitor(userKey, userId);
        }
    }
}
