using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace ProductEvents.Api.Privacy;

/// <summary>
/// Writes an export as one JSON document: the parts read before the answer started, then every event of the contact and
/// of each merged visitor, <see cref="PageSize"/> at a time, so an export of any size holds one page in memory. A
/// storage failure after the answer started aborts it: the client sees a cut document, never a complete-looking one.
/// </summary>
public sealed class ContactExportResult(ContactExport export, IReadOnlyList<ContactRef> contacts, IContactLogData entries, ILogger logger) : IResult
{
    public const int PageSize = 1_000;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var options = httpContext.RequestServices.GetRequiredService<IOptions<HttpJsonOptions>>().Value.SerializerOptions;
        var ct = httpContext.RequestAborted;
        httpContext.Response.StatusCode = StatusCodes.Status200OK;
        httpContext.Response.ContentType = "application/json; charset=utf-8";
        // On the response's pipe: the serializer's flushes only hand it bytes; each page is sent by one awaited flush.
        var body = httpContext.Response.BodyWriter;
        await using var json = new Utf8JsonWriter(body);
        json.WriteStartObject();
        json.WriteString("app_id", export.AppId);
        json.WriteString("user_id", export.UserId);
        if (export.Number is { } number)
        {
            json.WriteNumber("id", number);
        }
        else
        {
            json.WriteNull("id");
        }

        json.WritePropertyName("exported_at");
        JsonSerializer.Serialize(json, export.ExportedAt, options);
        json.WritePropertyName("visitor_keys");
        JsonSerializer.Serialize(json, export.VisitorKeys, options);
        json.WritePropertyName("summary");
        JsonSerializer.Serialize(json, export.Summary is null ? null : ContactResponse.From(export.Summary, export.Number), options);
        json.WritePropertyName("segments");
        JsonSerializer.Serialize(json, export.Segments, options);
        json.WritePropertyName("segment_changes");
        JsonSerializer.Serialize(json, export.SegmentChanges.Select(c => new ExportedChange(
            c.SegmentId, c.Change.Number, c.Change.Contact.IsAnonymous ? c.Change.Contact.Value : null, c.Change.Joined ? "join" : "leave", c.Change.At, c.Change.Erased)), options);
        json.WritePropertyName("automation_runs");
        JsonSerializer.Serialize(json, export.Runs.Select(r => new ExportedRun(r.AutomationId, AutomationRunResponse.From(r))), options);
        json.WritePropertyName("deliveries");
        JsonSerializer.Serialize(json, export.Deliveries.Select(DeliveryResponse.From), options);

        json.WriteStartArray("events");
        foreach (var contact in contacts)
        {
            long after = 0;
            while (true)
            {
                IReadOnlyList<ProductEventRecord> page;
                try
                {
                    page = await entries.ReadContactPageAsync(export.AppId, contact, after, PageSize, ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Export of a contact of app {App} cut short: its events could not be read", export.AppId);
                    httpContext.Abort();
                    return;
                }

                foreach (var e in page)
                {
                    JsonSerializer.Serialize(json, ProductEventResponse.From(e, logger), options);
                }

                await json.FlushAsync(ct);
                await body.FlushAsync(ct);
                if (page.Count < PageSize)
                {
                    break;
                }

                after = page[^1].Seq;
            }
        }

        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(ct);
        await body.FlushAsync(ct);
    }

    private sealed record ExportedChange(string SegmentId, long Number, string? UserKey, string Change, DateTimeOffset At,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Erased);

    private sealed record ExportedRun(string AutomationId, AutomationRunResponse Run);
}
