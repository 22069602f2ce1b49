using ProductEvents.Api.Audit;
using ProductEvents.Storage.Audit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProductEvents.Abstractions.Segments;
using ProductEvents.Api.Privacy;
using ProductEvents.Storage.Automations;
using ProductEvents.Storage.Erasure;
using ProductEvents.Storage.Numbers;
using ProductEvents.Storage.Segments;

namespace ProductEvents.Api.Endpoints;

/// <summary>
/// A contact's rights over its data: erasure (<c>DELETE</c>, with its status) and export (everything held about it, as
/// one JSON document). Secret key only. See docs/api.md#erasure-and-export.
/// </summary>
public static class ContactPrivacyApi
{
    /// <summary>Rows of each kind (memberships, changes, runs, webhooks) an export holds at most; events are not limited.</summary>
    public const int MaxExportedRows = 10_000;

    /// <summary>How often a waiting erasure request reads its record when no step of this process woke it (another silo runs it).</summary>
    private static readonly TimeSpan RecheckEvery = TimeSpan.FromSeconds(1);

    public static IEndpointRouteBuilder MapContactPrivacyApi(this IEndpointRouteBuilder routes)
    {
        var contacts = routes.MapGroup("/api/v1/contacts").WithTags("Contacts").RequireAppKey(allowPublicKey: false);
        contacts.MapDelete("/{user_id}", EraseAsync).WithName("EraseContact");
        contacts.MapGet("/{user_id}/erasure", GetErasureAsync).WithName("GetContactErasure");
        contacts.MapGet("/{user_id}/export", ExportAsync).WithName("ExportContact");
        return routes;
    }

    /// <summary>
    /// Records the erasure (durable before anything is erased), then waits up to <see cref="ErasureOptions.RequestWait"/>
    /// for it: 200 once done, else 202 with the status URL (it goes on, and resumes after a restart).
    /// </summary>
    public static async Task<Results<Ok<ErasureResponse>, Accepted<ErasureResponse>>> EraseAsync(
        HttpContext http, IEventLog log, IErasureStore erasures, ErasureSignal signal, IOptions<ErasureOptions> options, TimeProvider clock,
        ILoggerFactory loggers, IAuditLog audit, string user_id)
    {
        var app = AppKeyFilter.Current(http);
        user_id = PathIds.Decode(http, 4, user_id);
        var visitors = await log.ReadAliasedKeysAsync(app.AppId, user_id, http.RequestAborted);
        var erasure = await erasures.RequestAsync(app.AppId, user_id, visitors, clock.GetUtcNow(), http.RequestAborted);
        ErasureAudit.Requested(loggers.CreateLogger(typeof(ErasureAudit)), app, erasure);
        await audit.WriteAsync(http, AuditActions.ContactErase, ErasureAudit.Subject(erasure.AppId, erasure.UserId));
        signal.Requested();

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        wait.CancelAfter(options.Value.RequestWait);
        while (!erasure.IsDone && !wait.IsCancellationRequested)
        {
            var progress = signal.NextProgressAsync();
            var stored = await erasures.GetAsync(app.AppId, user_id, http.RequestAborted);
            if (stored is null || stored.RequestedAt != erasure.RequestedAt)
            {
                // Done, and its record already gone (or a later request started it again): this request's part is done.
                erasure = erasure with { Step = ErasureStep.Done };
                break;
            }

            erasure = stored;
            if (!erasure.IsDone)
            {
                await progress.WaitAsync(RecheckEvery, wait.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }

        var body = ErasureResponse.From(erasure);
        return erasure.IsDone
            ? TypedResults.Ok(body)
            : TypedResults.Accepted(StatusPath(http, user_id), body);
    }

    public static async Task<Results<Ok<ErasureResponse>, ProblemHttpResult>> GetErasureAsync(HttpContext http, IErasureStore erasures, string user_id)
    {
        var app = AppKeyFilter.Current(http);
        user_id = PathIds.Decode(http, 4, user_id);
        return await erasures.GetAsync(app.AppId, user_id, http.RequestAborted) is { } erasure
            ? TypedResults.Ok(ErasureResponse.From(erasure))
            : Problems.Status(StatusCodes.Status404NotFound, "No erasure", $"No erasure of contact '{user_id}' is under way or was done in the last day.");
    }

    /// <summary>
    /// Everything held about the contact and the visitors merged into it. What is small is read before the answer starts
    /// (so an outage is a 503); the events follow, read page by page as they are written.
    /// </summary>
    public static async Task<Results<ContactExportResult, ProblemHttpResult>> ExportAsync(
        HttpContext http, IGrainFactory grains, IngestPipeline pipeline, IEventLog log, IContactLogData entries, IEntityNumbers numbers,
        ISegmentMembershipStore memberships, IAutomationRunStore runs, IDeliveryOutbox outbox, TimeProvider clock, string user_id)
    {
        var app = AppKeyFilter.Current(http);
        var ct = http.RequestAborted;
        user_id = PathIds.Decode(http, 4, user_id);
        await pipeline.WhenAppliedAsync();
        var user = ContactRef.User(user_id);
        var visitors = await log.ReadAliasedKeysAsync(app.AppId, user_id, ct);
        IReadOnlyList<ContactRef> contacts = [user, .. visitors.Select(ContactRef.Visitor)];
        var summary = await grains.GetGrain<IContactGrain>(GrainKeys.Contact(app.AppId, user)).GetAsync();
        var segmentNames = (await grains.GetGrain<ISegmentRegistryGrain>(app.AppId).ListAsync()).ToDictionary(s => s.Id, s => s.Name, StringComparer.Ordinal);

        var export = new ContactExport(app.AppId, user_id, await numbers.FindNumberAsync(app.AppId, NumberedKey.Contact(user), ct), clock.GetUtcNow(), visitors, summary);
        foreach (var contact in contacts)
        {
            foreach (var (segmentId, since) in await memberships.SegmentsOfAsync(app.AppId, contact, ct))
            {
                export.Segments.Add(new ContactExport.Membership(segmentId, segmentNames.GetValueOrDefault(segmentId), contact.IsAnonymous ? contact.Value : null, since));
            }

            export.SegmentChanges.AddRange((await memberships.ChangesOfAsync(app.AppId, contact, MaxExportedRows, ct)).Select(c => (c.SegmentId, c.Change)));
            export.Runs.AddRange(await runs.ListOfContactAsync(app.AppId, contact, MaxExportedRows, ct));
            export.Deliveries.AddRange(await outbox.ListOfContactAsync(app.AppId, contact, MaxExportedRows, ct));
        }

        var first = new List<ProductEventRecord>();
        foreach (var contact in contacts)
        {
            first.AddRange(await entries.ReadContactPageAsync(app.AppId, contact, 0, 1, ct));
        }

        if (summary is null && first.Count == 0 && export.Segments.Count == 0 && export.SegmentChanges.Count == 0 && export.Runs.Count == 0
            && export.Deliveries.Count == 0)
        {
            return Problems.Status(StatusCodes.Status404NotFound, "Contact not found", $"Nothing is held about contact '{user_id}' in this app.");
        }

        return new ContactExportResult(export, contacts, entries, http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ContactPrivacyApi)));
    }

    /// <summary>Relative, like the listings' links: never built from the request's Host header.</summary>
    private static string StatusPath(HttpContext http, string userId) =>
        $"{http.Request.PathBase}/api/v1/contacts/{Uri.EscapeDataString(userId)}/erasure";
}
