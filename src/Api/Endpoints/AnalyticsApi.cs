using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProductEvents.Abstractions.Analytics;
using ProductEvents.Abstractions.Segments;
using ProductEvents.Api.Json;
using ProductEvents.Storage.Automations;

namespace ProductEvents.Api.Endpoints;

/// <summary>
/// Analytics: counts over time, a product's timeline, top products, funnels, a contact's journey and (in
/// AnalyticsApi.Search.cs) ad-hoc contact and product searches, answered by the app's analytics index
/// (<see cref="IAnalyticsGrain"/>). Secret key only. See docs/analytics.md.
/// </summary>
public static partial class AnalyticsApi
{
    public const int DefaultGroups = 10;
    public const int MaxGroups = 50;
    public const int DefaultTopProducts = 10;
    public const int MaxTopProducts = 100;
    public const int MaxSearchLimit = 1000;
    public const int DefaultSearchLimit = 100;
    public const int MaxBodyBytes = 64 * 1024;
    public static readonly TimeSpan DefaultTopRange = TimeSpan.FromDays(7);

    /// <summary>How long a client waits before asking an index that is still loading again.</summary>
    public static readonly TimeSpan LoadingRetryAfter = TimeSpan.FromSeconds(5);

    public static IEndpointRouteBuilder MapAnalyticsApi(this IEndpointRouteBuilder routes)
    {
        var analytics = routes.MapGroup("/api/v1/analytics").WithTags("Analytics").RequireAppKey(allowPublicKey: false)
            .AddEndpointFilter(WhenAnalyticsOn);
        analytics.MapGet("/events", CountsAsync).WithName("CountEventsOverTime");
        analytics.MapGet("/products/{product_id}/timeline", TimelineAsync).WithName("ProductTimeline");
        analytics.MapGet("/top-products", TopProductsAsync).WithName("TopProducts");
        analytics.MapPost("/funnels", FunnelAsync).WithName("Funnel");
        analytics.MapGet("/contacts/{user_id}/journey", JourneyAsync).WithName("ContactJourney");
        routes.MapGroup("/api/v1/contacts").WithTags("Contacts").RequireAppKey(allowPublicKey: false)
            .MapPost("/search", SearchContactsAsync).WithName("SearchContacts").AddEndpointFilter(WhenAnalyticsOn);
        routes.MapGroup("/api/v1/products").WithTags("Products").RequireAppKey(allowPublicKey: false)
            .MapPost("/search", SearchProductsAsync).WithName("SearchProducts").AddEndpointFilter(WhenAnalyticsOn);
        return routes;
    }

    public static async Task<IResult> CountsAsync(HttpContext http, IGrainFactory grains, TimeProvider clock)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var productId = EventListing.ReadId(http.Request.Query, "product_id", IngestLimits.MaxProductIdLength, errors);
        var query = ReadCountsQuery(http.Request.Query, clock.GetUtcNow(), productId, errors);
        if (query is null)
        {
            return Problems.Invalid(errors);
        }

        var answer = await Grain(http, grains).CountsAsync(query);
        return answer.Index.Loading ? Loading(http, answer.Index) : TypedResults.Ok(CountsResponse.From(query, answer));
    }

    public static async Task<IResult> TimelineAsync(HttpContext http, IGrainFactory grains, TimeProvider clock, string product_id)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        product_id = PathIds.Decode(http, 4, product_id);
        var query = ReadCountsQuery(http.Request.Query, clock.GetUtcNow(), product_id, errors);
        if (query is null)
        {
            return Problems.Invalid(errors);
        }

        var answer = await Grain(http, grains).CountsAsync(query);
        return answer.Index.Loading ? Loading(http, answer.Index) : TypedResults.Ok(new TimelineResponse(product_id, CountsResponse.From(query, answer)));
    }

    public static async Task<IResult> TopProductsAsync(HttpContext http, IGrainFactory grains, TimeProvider clock)
    {
        var q = http.Request.Query;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var types = ReadTypes(q, "type", errors);
        if (types is not { Count: 1 } && !errors.ContainsKey("type"))
        {
            errors["type"] = [$"is required: one event type ({ProductEventTypes.AllowedValuesText})"];
        }

        var until = EventListing.ReadTime(q, "until", errors) ?? clock.GetUtcNow();
        var since = EventListing.ReadTime(q, "since", errors) ?? until - DefaultTopRange;
        var limit = ReadWhole(q, "limit", 1, MaxTopProducts, DefaultTopProducts, errors);
        TimeSpan? within = null;
        if (q.TryGetValue("abandoned_within", out var withinText))
        {
            within = ReadDuration(withinText.ToString());
            if (within is null)
            {
                errors["abandoned_within"] = ["must be an ISO-8601 duration of days, hours, minutes or seconds, such as PT3H or P1D, up to 3650 days"];
            }
        }

        var unless = ReadTypes(q, "unless", errors) ?? [ProductEventType.Purchase];
        if (since >= until && !errors.ContainsKey("since") && !errors.ContainsKey("until"))
        {
            errors["since"] = ["must be before until"];
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var query = new TopProductsQuery(types![0], since, until, limit, within, unless);
        var answer = await Grain(http, grains).TopProductsAsync(query);
        return answer.Index.Loading
            ? Loading(http, answer.Index)
            : TypedResults.Ok(new TopProductsResponse(ProductEventTypes.Name(query.Type), since, until, within is { } w ? System.Xml.XmlConvert.ToString(w) : null,
                [.. answer.Products.Select(p => new TopProductResponse(p.ProductId, p.Count, p.Name, p.Attributes))]));
    }

    public static async Task<IResult> FunnelAsync(HttpContext http, IGrainFactory grains)
    {
        var (document, error) = await JsonBody.ReadAsync(http.Request, MaxBodyBytes, http.RequestAborted);
        if (document is null)
        {
            return error ?? Problems.Invalid("body", $"must be a JSON object of at most {MaxBodyBytes} bytes");
        }

        string json;
        using (document)
        {
            json = document.RootElement.GetRawText();
        }

        var answer = await Grain(http, grains).FunnelAsync(json);
        if (answer.Errors.Count > 0)
        {
            return Invalid(answer.Errors);
        }

        return answer.Index.Loading ? Loading(http, answer.Index) : TypedResults.Ok(FunnelResponse.From(answer));
    }

    /// <summary>Events a journey shows at most (the newest); <c>limit</c> asks for fewer.</summary>
    public const int MaxJourneyEvents = 1000;

    public static async Task<IResult> JourneyAsync(
        HttpContext http, IGrainFactory grains, IngestPipeline pipeline, IEventLog log, IAutomationRunStore runs, ILoggerFactory loggers, string user_id)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var limit = ReadWhole(http.Request.Query, "limit", 1, MaxJourneyEvents, 100, errors);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var appId = AppKeyFilter.Current(http).AppId;
        var segments = (await SegmentsApi.ContactSegmentsAsync(http, grains, pipeline, user_id)).Value!;
        var contact = ContactRef.User(segments.UserId);
        var events = await log.QueryAsync(new EventQuery(appId, null, segments.UserId, null, null, null, null, limit, null), http.RequestAborted);
        if (events.Results.Count == 0)
        {
            return Problems.Status(StatusCodes.Status404NotFound, "Contact not found", $"No event of user '{segments.UserId}' is in this app's log.");
        }

        var logger = loggers.CreateLogger(typeof(AnalyticsApi));
        var contactRuns = await runs.ListOfContactAsync(appId, contact, ContactPrivacyApi.MaxExportedRows, http.RequestAborted);
        return TypedResults.Ok(new JourneyResponse(
            segments.UserId,
            [.. events.Results.OrderBy(e => e.Timestamp).ThenBy(e => e.Seq).Select(e => ProductEventResponse.From(e, logger))],
            segments.Results,
            [.. contactRuns.Select(AutomationRunResponse.From)]));
    }

    /// <summary>404 for every analytics endpoint when <c>ProductEvents:Ingest:Analytics</c> is false.</summary>
    private static async ValueTask<object?> WhenAnalyticsOn(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        context.HttpContext.RequestServices.GetRequiredService<IOptions<IngestOptions>>().Value.Analytics
            ? await next(context)
            : Problems.Status(StatusCodes.Status404NotFound, "Analytics are off", "This server keeps no analytics (ProductEvents:Ingest:Analytics is false).");

    private static CountsQuery? ReadCountsQuery(IQueryCollection q, DateTimeOffset now, string? productId, Dictionary<string, string[]> errors)
    {
        var interval = AnalyticsInterval.Hour;
        if (q.TryGetValue("interval", out var intervalText))
        {
            switch (intervalText.ToString())
            {
                case "minute": interval = AnalyticsInterval.Minute; break;
                case "hour": interval = AnalyticsInterval.Hour; break;
                case "day": interval = AnalyticsInterval.Day; break;
                default: errors["interval"] = ["must be minute, hour or day"]; break;
            }
        }

        var until = EventListing.ReadTime(q, "until", errors) ?? now;
        var since = EventListing.ReadTime(q, "since", errors) ?? until - DefaultRange(interval);
        var zone = "UTC";
        if (q.TryGetValue("tz", out var zoneText))
        {
            zone = zoneText.ToString();
            if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
            {
                errors["tz"] = ["is not a known time zone; use an IANA id such as Europe/Warsaw, America/New_York or UTC"];
            }
        }

        var types = ReadTypes(q, "type", errors) ?? [];
        string? groupBy = null;
        if (q.TryGetValue("group_by", out var groupText))
        {
            groupBy = groupText.ToString();
            if (groupBy.Length is 0 or > 200)
            {
                errors["group_by"] = ["must be the name of a product attribute (1 to 200 characters), name or product_id"];
            }
        }

        var groups = ReadWhole(q, "groups", 1, MaxGroups, DefaultGroups, errors);
        if (errors.Count > 0)
        {
            return null;
        }

        if (since >= until)
        {
            errors["since"] = ["must be before until"];
            return null;
        }

        var buckets = (until - since) / BucketWidth(interval);
        if (buckets > MaxBuckets)
        {
            errors["since"] = [$"the range holds about {buckets:F0} buckets of a {interval.ToString().ToLowerInvariant()}; at most {MaxBuckets} are allowed: shorten it or use a wider interval"];
            return null;
        }

        return new CountsQuery(since, until, interval, zone, types, productId, groupBy, groups);
    }

    /// <summary>Buckets one counts query may ask for (one more may appear when since is not on a bucket's start).</summary>
    public const int MaxBuckets = 1000;

    private static TimeSpan DefaultRange(AnalyticsInterval interval) => interval switch
    {
        AnalyticsInterval.Minute => TimeSpan.FromHours(1),
        AnalyticsInterval.Hour => TimeSpan.FromDays(1),
        _ => TimeSpan.FromDays(30),
    };

    private static TimeSpan BucketWidth(AnalyticsInterval interval) => interval switch
    {
        AnalyticsInterval.Minute => TimeSpan.FromMinutes(1),
        AnalyticsInterval.Hour => TimeSpan.FromHours(1),
        _ => TimeSpan.FromDays(1),
    };

    /// <summary>Event types given as repeated parameters or separated by commas; null when the parameter is absent.</summary>
    private static List<ProductEventType>? ReadTypes(IQueryCollection q, string name, Dictionary<string, string[]> errors)
    {
        if (!q.TryGetValue(name, out var values))
        {
            return null;
        }

        var types = new List<ProductEventType>();
        foreach (var text in values.SelectMany(v => (v ?? "").Split(',')))
        {
            if (ProductEventTypes.TryParse(text, out var type))
            {
                if (!types.Contains(type))
                {
                    types.Add(type);
                }
            }
            else
            {
                errors[name] = [$"'{text}' is not a known event type; allowed values: {ProductEventTypes.AllowedValuesText}"];
                return null;
            }
        }

        return types;
    }

    private static TimeSpan? ReadDuration(string text)
    {
        try
        {
            var value = System.Xml.XmlConvert.ToTimeSpan(text);
            return value > TimeSpan.Zero && value <= TimeSpan.FromDays(3650) ? value : null;
        }
        catch (FormatException)
        {
            return null;
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    private static int ReadWhole(IQueryCollection q, string name, int min, int max, int fallback, Dictionary<string, string[]> errors, string? reason = null)
    {
        if (!q.TryGetValue(name, out var text))
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        errors[name] = [reason ?? $"must be a whole number from {min} to {max}"];
        return fallback;
    }

    private static ProblemHttpResult Loading(HttpContext http, IndexState index) =>
        Problems.Retryable(
            http, StatusCodes.Status503ServiceUnavailable, "Analytics are loading",
            $"The analytics index of this app is reading the app's events from the log ({index.Entries} read so far); ask again shortly.",
            LoadingRetryAfter);

    private static ValidationProblem Invalid(IReadOnlyList<DefinitionError> errors) =>
        Problems.Invalid(errors.GroupBy(e => e.Path).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()));

    private static IAnalyticsGrain Grain(HttpContext http, IGrainFactory grains) =>
        grains.GetGrain<IAnalyticsGrain>(AppKeyFilter.Current(http).AppId);
}
