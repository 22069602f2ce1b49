using System.Text;
using Microsoft.Extensions.Logging;

namespace ProductEvents.Api.Json;

/// <summary>
/// A stored <c>custom_data</c> as a listing writes it. One that breaks today's input rules (stored before they held:
/// nested too deep for the response writer, say) is written in a safe form, <c>{"_raw": "its JSON text"}</c>, so one
/// entry never fails a listing; <c>repair-events</c> rewrites such entries in the log to the same form.
/// </summary>
public static class StoredCustomData
{
    public const string RawKey = "_raw";

    /// <param name="problem">Why the safe form was written; null when the stored value is written as it is.</param>
    public static JsonElement Read(string json, out string? problem)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 4096 });
            problem = JsonInput.FindProblem(document.RootElement, "custom_data", IngestLimits.MaxCustomDataDepth) is { } found
                ? $"{found.Path} {found.Reason}"
                : null;
            if (problem is null)
            {
                return document.RootElement.Clone();
            }
        }
        catch (JsonException ex)
        {
            problem = $"custom_data is not readable JSON: {ex.Message}";
        }

        return SafeForm(json);
    }

    /// <summary>The event's custom_data to write out; the safe form, logged, when it cannot be written as stored.</summary>
    public static JsonElement Readable(ProductEventRecord e, ILogger logger)
    {
        var value = Read(e.CustomDataJson!, out var problem);
        if (problem is not null)
        {
            logger.LogWarning("Event {Id} of app {AppId} is listed with custom_data in its safe form ({Problem}); run repair-events to rewrite it in the log",
                e.Id, e.AppId, problem);
        }

        return value;
    }

    /// <summary><c>{"_raw": text}</c>, unpaired surrogates replaced (U+FFFD): one level deep, always writable.</summary>
    public static JsonElement SafeForm(string json)
    {
        var text = Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(json));
        return JsonSerializer.SerializeToElement(new Dictionary<string, string> { [RawKey] = text });
    }
}
