using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ProductEvents.Fuzz.Tests.Generators;

namespace ProductEvents.Fuzz.Tests.Support;

/// <summary>
/// Runs one fuzz case against the host and answers the properties it broke: the hostile request goes to the lane's app
/// alpha while a valid event of the lane's app beta is sent at the same moment; then what is stored, the listings and
/// readiness are checked. A runner runs its cases one at a time: it compares what its alpha has stored before and after
/// each. Runners of different lanes run at the same time, each on apps of its own.
/// </summary>
public sealed class FuzzCaseRunner(FuzzHostFixture host, FuzzLane lane)
{
    private const string CountAlpha = "SELECT count(*) FROM product_events WHERE app_id = $1";
    private const string CountAliases = "SELECT count(*) FROM contact_aliases WHERE app_id = $1";

    private static readonly string[] FieldNames =
    [
        // The parts of the request itself: what the web server refuses before the API reads a body names these.
        "path", "query", "request line", "header",
        "body", "product_id", "user_id", "user_key", "user_custom_id", "custom_id", "event_type", "timestamp", "event_id", "name",
        "custom_data", "events", "data", "condition", "trigger", "action", "segment_id", "wait", "unless", "frequency_cap",
        "enabled", "send_at", "throttle_per_second", "webhook", "template", "url", "secret",
    ];

    private string? campaignApp;
    private long campaignsAccepted;
    private int betaSequence;

    public FuzzLane Lane => lane;

    public async Task<IReadOnlyList<Violation>> RunAsync(FuzzRequest request)
    {
        var violations = new List<Violation>();
        var (appId, method, path) = Route(request);
        var body = request.Body;
        if (request.Endpoint == FuzzEndpoint.CreateCampaign)
        {
            body = Replace(body, FuzzRequest.SegmentPlaceholder, await host.CampaignSegmentAsync(appId));
        }

        var before = await StoredAsync(request.Endpoint, appId);
        var beta = Interlocked.Increment(ref betaSequence);
        var fuzzTask = SendAsync(appId, method, path, body, request.ContentType, request.Chunked);
        var betaTask = SendBetaAsync(request.Marker, beta);
        await Task.WhenAll(fuzzTask, betaTask);

        var (status, mediaType, text, error) = await fuzzTask;
        if (error is not null)
        {
            violations.Add(new Violation(Violation.ConnectionDropped, error));
        }
        else if (status >= 500)
        {
            violations.Add(new Violation(Violation.ServerError, $"{status} {Cut(text)}"));
        }
        else if (status >= 400)
        {
            if (ProblemFault(mediaType, text) is { } fault)
            {
                violations.Add(new Violation(Violation.BadProblem, $"{status} {fault}: {Cut(text)}"));
            }
        }

        var accepted = status is >= 200 and < 300 ? text : null;
        violations.AddRange(await CheckStoredAsync(request.Endpoint, appId, before, status, accepted));

        var (betaStatus, _, betaText, betaError) = await betaTask;
        if (betaError is not null || betaStatus != (int)HttpStatusCode.Accepted)
        {
            violations.Add(new Violation(Violation.OtherAppRefused, betaError ?? $"{betaStatus} {Cut(betaText)}"));
        }
        else if (await host.CountAsync("SELECT count(*) FROM product_events WHERE app_id = $1 AND event_id = $2",
            lane.Beta, BetaEventId(request.Marker, beta)) != 1)
        {
            violations.Add(new Violation(Violation.OtherAppLost, $"beta event {BetaEventId(request.Marker, beta)} acknowledged, not in the log once"));
        }

        var ready = await SendAsync(lane.Alpha, HttpMethod.Get, "/health/ready", null, null, false);
        if (ready.Status != 200)
        {
            violations.Add(new Violation(Violation.NotReady, ready.Error ?? $"{ready.Status} {Cut(ready.Text)}"));
        }

        return violations;
    }

    /// <summary>After a broken case: waits (with a deadline) until the host is ready again, so the next case starts clean.</summary>
    public async Task<bool> AwaitReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if ((await SendAsync(lane.Alpha, HttpMethod.Get, "/health/ready", null, null, false)).Status == 200)
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }

    private (string App, HttpMethod Method, string Path) Route(FuzzRequest request) => request.Endpoint switch
    {
        FuzzEndpoint.SingleEvent => (lane.Alpha, HttpMethod.Post, "/api/v1/product-events"),
        FuzzEndpoint.BatchEvents => (lane.Alpha, HttpMethod.Post, "/api/v1/product-events/batch"),
        FuzzEndpoint.Identify => (lane.Alpha, HttpMethod.Post, "/api/v1/identify"),
        FuzzEndpoint.UserComEvent => (lane.Alpha, HttpMethod.Post, $"/api/public/products-by-id/{request.PathId}/product_event/"),
        FuzzEndpoint.CreateSegment => (lane.Definitions, HttpMethod.Post, "/api/v1/segments"),
        FuzzEndpoint.UpdateSegment => (lane.Definitions, HttpMethod.Put, $"/api/v1/segments/{host.BaseSegmentId(lane)}"),
        FuzzEndpoint.CreateAutomation => (lane.Definitions, HttpMethod.Post, "/api/v1/automations"),
        FuzzEndpoint.UpdateAutomation => (lane.Definitions, HttpMethod.Put, $"/api/v1/automations/{host.BaseAutomationId(lane)}"),
        FuzzEndpoint.CreateCampaign => (CampaignApp(), HttpMethod.Post, "/api/v1/campaigns"),
        _ => throw new ArgumentOutOfRangeException(nameof(request)),
    };

    /// <summary>The lane's campaign app; a new one, used by no other lane, each time the current one is full.</summary>
    private string CampaignApp()
    {
        if (campaignApp is null || campaignsAccepted >= FuzzHostFixture.CampaignsPerApp)
        {
            campaignApp = host.TakeCampaignApp();
            campaignsAccepted = 0;
        }

        return campaignApp;
    }

    /// <summary>What the endpoint's input would change, read before the case.</summary>
    private async Task<string> StoredAsync(FuzzEndpoint endpoint, string appId) => endpoint switch
    {
        FuzzEndpoint.SingleEvent or FuzzEndpoint.BatchEvents or FuzzEndpoint.UserComEvent =>
            (await host.CountAsync(CountAlpha, lane.Alpha)).ToString(CultureInfo.InvariantCulture),
        FuzzEndpoint.Identify => (await host.CountAsync(CountAliases, lane.Alpha)).ToString(CultureInfo.InvariantCulture),
        FuzzEndpoint.CreateSegment => (await GetJsonAsync(appId, "/api/v1/segments"))?.AsArray().Count.ToString(CultureInfo.InvariantCulture) ?? "?",
        FuzzEndpoint.CreateAutomation => (await GetJsonAsync(appId, "/api/v1/automations"))?.AsArray().Count.ToString(CultureInfo.InvariantCulture) ?? "?",
        FuzzEndpoint.UpdateSegment => Definition(await GetJsonAsync(appId, $"/api/v1/segments/{host.BaseSegmentId(lane)}"), "name", "condition"),
        FuzzEndpoint.UpdateAutomation => Definition(await GetJsonAsync(appId, $"/api/v1/automations/{host.BaseAutomationId(lane)}"), "name", "trigger", "wait"),
        FuzzEndpoint.CreateCampaign => (await GetJsonAsync(appId, "/api/v1/campaigns?limit=1000"))?["results"]?.AsArray().Count.ToString(CultureInfo.InvariantCulture) ?? "?",
        _ => "",
    };

    private async Task<List<Violation>> CheckStoredAsync(FuzzEndpoint endpoint, string appId, string before, int status, string? accepted)
    {
        var violations = new List<Violation>();
        switch (endpoint)
        {
            case FuzzEndpoint.SingleEvent or FuzzEndpoint.BatchEvents or FuzzEndpoint.UserComEvent:
                var ids = AcceptedEventIds(endpoint, status, accepted, out var newEvents);
                var delta = await host.CountAsync(CountAlpha, lane.Alpha) - long.Parse(before, CultureInfo.InvariantCulture);
                if (delta > newEvents)
                {
                    violations.Add(new Violation(Violation.RejectedStored, $"{delta} rows stored, {newEvents} events acknowledged as new"));
                }
                else if (delta < newEvents)
                {
                    violations.Add(new Violation(Violation.NotListed, $"{newEvents} events acknowledged as new, {delta} rows in the log"));
                }

                foreach (var id in ids.Take(2))
                {
                    violations.AddRange(await CheckListingsAsync(id));
                }

                break;
            case FuzzEndpoint.Identify when accepted is null:
                if ((await host.CountAsync(CountAliases, lane.Alpha)).ToString(CultureInfo.InvariantCulture) != before)
                {
                    violations.Add(new Violation(Violation.RejectedStored, "a refused identify recorded a visitor key"));
                }

                break;
            case FuzzEndpoint.CreateSegment or FuzzEndpoint.CreateAutomation:
                var resource = endpoint == FuzzEndpoint.CreateSegment ? "/api/v1/segments" : "/api/v1/automations";
                if (accepted is not null && Id(accepted) is { } created)
                {
                    await SendAsync(appId, HttpMethod.Delete, $"{resource}/{created}", null, null, false);
                }

                if (accepted is null && await StoredAsync(endpoint, appId) != before)
                {
                    violations.Add(new Violation(Violation.RejectedStored, $"{resource} listed {before} definitions before, {await StoredAsync(endpoint, appId)} after a refusal"));
                }

                break;
            case FuzzEndpoint.UpdateSegment or FuzzEndpoint.UpdateAutomation when accepted is null:
                if (await StoredAsync(endpoint, appId) is var after && after != before)
                {
                    violations.Add(new Violation(Violation.RejectedStored, $"a refused update changed the definition: {Cut(before)} -> {Cut(after)}"));
                }

                break;
            case FuzzEndpoint.CreateCampaign:
                if (accepted is not null && Id(accepted) is { } campaign)
                {
                    campaignsAccepted++;
                    await SendAsync(appId, HttpMethod.Post, $"/api/v1/campaigns/{campaign}/cancel", null, null, false);
                }
                else if (await StoredAsync(endpoint, appId) is var count && count != before)
                {
                    violations.Add(new Violation(Violation.RejectedStored, $"campaigns {before} before, {count} after a refusal"));
                }

                break;
        }

        return violations;
    }

    /// <summary>Reads an acknowledged event's keys from the log and lists it through every listing that can show it.</summary>
    private async Task<List<Violation>> CheckListingsAsync(string id)
    {
        var violations = new List<Violation>();
        var isNumber = long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var number);
        if (!Guid.TryParse(id, out var guid) && !isNumber)
        {
            return violations;
        }

        string? productId = null, userId = null;
        await using (var command = host.Database.CreateCommand(
            $"SELECT product_id, user_id FROM product_events WHERE app_id = $1 AND {(isNumber ? "seq" : "id")} = $2"))
        {
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = lane.Alpha });
            command.Parameters.Add(isNumber ? new Npgsql.NpgsqlParameter { Value = number } : new Npgsql.NpgsqlParameter { Value = guid });
            await using var reader = await command.ExecuteReaderAsync();
            if (await reader.ReadAsync())
            {
                productId = reader.GetString(0);
                userId = reader.IsDBNull(1) ? null : reader.GetString(1);
            }
        }

        if (productId is null)
        {
            return [new Violation(Violation.NotListed, $"acknowledged event {id} is not in the log")];
        }

        var listings = new List<string> { "/api/v1/product-events?limit=1000", $"/api/v1/product-events?limit=1000&product_id={Encode(productId)}" };
        if (productId is not ("." or ".."))
        {
            listings.Add($"/api/v1/products/{Encode(productId)}/events");
            listings.Add($"/api/public/products-by-id/{Encode(productId)}/product_events/");
        }

        if (userId is not null and not ("." or ".."))
        {
            listings.Add($"/api/v1/contacts/{Encode(userId)}/product-events");
            listings.Add($"/api/public/users-by-id/{Encode(userId)}/product_events/");
        }

        foreach (var listing in listings)
        {
            var (status, _, text, error) = await SendAsync(lane.Alpha, HttpMethod.Get, listing, null, null, false);
            if (error is not null || status != 200)
            {
                violations.Add(new Violation(Violation.NotListed, $"GET {Cut(listing, 120)} -> {error ?? status.ToString(CultureInfo.InvariantCulture)} {Cut(text, 200)}"));
            }
            else if (listing.Contains("product_id=", StringComparison.Ordinal) && !text.Contains(id, StringComparison.OrdinalIgnoreCase))
            {
                violations.Add(new Violation(Violation.NotListed, $"GET {Cut(listing, 120)} does not hold {id}"));
            }
        }

        return violations;
    }

    private static List<string> AcceptedEventIds(FuzzEndpoint endpoint, int status, string? accepted, out int newEvents)
    {
        newEvents = 0;
        var ids = new List<string>();
        if (accepted is null)
        {
            return ids;
        }

        var answer = JsonNode.Parse(accepted)!;
        if (endpoint == FuzzEndpoint.BatchEvents)
        {
            foreach (var result in answer["results"]!.AsArray())
            {
                var outcome = result!["status"]!.GetValue<string>();
                if (outcome is "accepted")
                {
                    newEvents++;
                }

                if (outcome is "accepted" or "duplicate")
                {
                    ids.Add(result["id"]!.GetValue<string>());
                }
            }
        }
        else
        {
            // The native answer says "duplicate"; the User.com layer answers 201 for a new event, 200 for a repeated event_id.
            var duplicate = endpoint == FuzzEndpoint.SingleEvent ? answer["duplicate"]!.GetValue<bool>() : status == 200;
            newEvents = duplicate ? 0 : 1;
            // The native id is the event's uuid; the User.com layer's is its integer id (log position).
            ids.Add(endpoint == FuzzEndpoint.SingleEvent ? answer["id"]!.GetValue<string>() : answer["id"]!.ToJsonString());
        }

        return ids;
    }

    private async Task<(int Status, string? MediaType, string Text, string? Error)> SendBetaAsync(string marker, int sequence)
    {
        var body = new JsonObject
        {
            ["product_id"] = $"bp-{sequence % 97}",
            ["event_type"] = "view",
            ["user_id"] = $"bu-{sequence % 89}",
            ["event_id"] = BetaEventId(marker, sequence),
            ["price"] = 9.99,
            ["custom_data"] = new JsonObject { ["ref"] = marker },
        };
        return await SendAsync(lane.Beta, HttpMethod.Post, "/api/v1/product-events", Encoding.UTF8.GetBytes(body.ToJsonString()), "application/json", false);
    }

    private static string BetaEventId(string marker, int sequence) => $"be-{marker}-{sequence}";

    private async Task<(int Status, string? MediaType, string Text, string? Error)> SendAsync(
        string appId, HttpMethod method, string path, byte[]? body, string? contentType, bool chunked)
    {
        using var message = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            message.Content = chunked ? new StreamContent(new MemoryStream(body)) : new ByteArrayContent(body);
            message.Headers.TransferEncodingChunked = chunked;
            if (contentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        try
        {
            using var response = await host.Client(appId).SendAsync(message);
            var text = await response.Content.ReadAsStringAsync();
            return ((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, text, null);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException)
        {
            return (0, null, "", $"{ex.GetType().Name}: {ex.Message} {ex.InnerException?.Message}");
        }
    }

    private async Task<JsonNode?> GetJsonAsync(string appId, string path)
    {
        try
        {
            return await host.Client(appId).GetFromJsonAsync<JsonNode>(path);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Null when the answer is problem+json naming a field (an <c>errors</c> entry) or the body; else what is wrong.</summary>
    private static string? ProblemFault(string? mediaType, string text)
    {
        if (mediaType != "application/problem+json")
        {
            return $"content type {mediaType ?? "(none)"}";
        }

        try
        {
            var problem = JsonNode.Parse(text) as JsonObject;
            if (problem?["errors"] is JsonObject { Count: > 0 })
            {
                return null;
            }

            var words = $"{problem?["title"]} {problem?["detail"]}";
            return FieldNames.Any(field => words.Contains(field, StringComparison.OrdinalIgnoreCase)) ? null : "names no field";
        }
        catch (JsonException)
        {
            return "body is not JSON";
        }
    }

    private static string Definition(JsonNode? node, params string[] fields) =>
        node is null ? "?" : string.Join("|", fields.Select(f => node[f]?.ToJsonString() ?? "null"));

    private static string? Id(string json)
    {
        try
        {
            return JsonNode.Parse(json)?["id"]?.GetValue<string>();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static byte[] Replace(byte[] body, string token, string value)
    {
        var at = body.AsSpan().IndexOf(Encoding.ASCII.GetBytes(token));
        return at < 0 ? body : [.. body[..at], .. Encoding.UTF8.GetBytes(value), .. body[(at + token.Length)..]];
    }

    /// <summary>Percent-encodes every byte of the UTF-8 form that is not unreserved (a lone surrogate becomes U+FFFD).</summary>
    private static string Encode(string value)
    {
        var encoded = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' or (byte)'-' or (byte)'_' or (byte)'~')
            {
                encoded.Append((char)b);
            }
            else
            {
                encoded.Append(CultureInfo.InvariantCulture, $"%{b:X2}");
            }
        }

        return encoded.ToString();
    }

    private static string Cut(string text, int length = 300) => text.Length <= length ? text : text[..length] + "...";
}
