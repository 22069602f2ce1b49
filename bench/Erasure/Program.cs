using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

// Usage: dotnet ProductEvents.Bench.Erasure.dll URL TOKEN CONTACTS EVENTS PRODUCTS
// For each of CONTACTS contacts: EVENTS events over PRODUCTS products (a tenth of them before the contact's visitor is
// merged into it), a segment membership and a waiting run; then the export and the erasure are timed (wall clock of
// one request each: the DELETE answers once the erasure is done).
var url = new Uri(args[0]);
var token = args[1];
var contacts = int.Parse(args[2], CultureInfo.InvariantCulture);
var events = int.Parse(args[3], CultureInfo.InvariantCulture);
var products = int.Parse(args[4], CultureInfo.InvariantCulture);
const int BatchSize = 1000;
const int Concurrency = 4;

using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromMinutes(10) };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", token);
var run = Guid.NewGuid().ToString("N")[..8];

await PostAsync("/api/v1/segments", new JsonObject
{
    ["name"] = "bench carts",
    ["condition"] = new JsonObject { ["event"] = new JsonObject { ["types"] = new JsonArray("add to cart") } },
});
await PostAsync("/api/v1/automations", new JsonObject
{
    ["name"] = "bench reminder",
    ["trigger"] = new JsonObject { ["event"] = new JsonObject { ["types"] = new JsonArray("add to cart") } },
    ["wait"] = "P1D",
    ["action"] = new JsonObject { ["webhook"] = new JsonObject { ["url"] = "https://receiver.example/hook", ["secret"] = "bench", ["template"] = "x" } },
});
await Task.Delay(TimeSpan.FromSeconds(2));

Console.WriteLine($"| contact | events | ingest s | export s | export MB | erase s | erased events | memberships | waiting runs |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
var eraseSeconds = new List<double>();
for (var c = 0; c < contacts; c++)
{
    var user = $"bench-{run}-{c}";
    var visitor = $"visitor-{run}-{c}";
    var ingest = Stopwatch.StartNew();
    var visitorEvents = events / 10;
    await IngestAsync(Enumerable.Range(0, visitorEvents).Select(i => Event(i, null, visitor)));
    await PostAsync("/api/v1/identify", new JsonObject { ["user_id"] = user, ["user_key"] = visitor });
    await IngestAsync(Enumerable.Range(visitorEvents, events - visitorEvents).Select(i => Event(i, user, null)));
    while (await EventCountAsync(user) < events)
    {
        await Task.Delay(200);
    }

    ingest.Stop();
    var export = Stopwatch.StartNew();
    using var exported = await http.GetAsync($"/api/v1/contacts/{user}/export", HttpCompletionOption.ResponseHeadersRead);
    exported.EnsureSuccessStatusCode();
    var bytes = (await exported.Content.ReadAsByteArrayAsync()).LongLength;
    export.Stop();

    var erase = Stopwatch.StartNew();
    using var erased = await http.DeleteAsync($"/api/v1/contacts/{user}");
    var body = JsonNode.Parse(await erased.Content.ReadAsStringAsync())!;
    erase.Stop();
    if (erased.StatusCode != HttpStatusCode.OK || body["status"]!.GetValue<string>() != "done")
    {
        Console.Error.WriteLine($"erasure of {user} not done: {(int)erased.StatusCode} {body}");
        return 1;
    }

    eraseSeconds.Add(erase.Elapsed.TotalSeconds);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {c + 1} | {events:N0} | {ingest.Elapsed.TotalSeconds:0.0} | {export.Elapsed.TotalSeconds:0.00} | {bytes / 1e6:0.0} | {erase.Elapsed.TotalSeconds:0.00} | {body["events"]} | {body["segments"]} | {body["runs"]} |"));
}

eraseSeconds.Sort();
Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Erasure of a contact with {events:N0} events: median {eraseSeconds[eraseSeconds.Count / 2]:0.00} s, slowest {eraseSeconds[^1]:0.00} s."));
return 0;

JsonObject Event(int i, string? userId, string? userKey)
{
    var e = new JsonObject
    {
        ["product_id"] = $"p-{i % products}",
        ["event_type"] = (i % 7) switch { 0 => "add to cart", 1 => "purchase", _ => "view" },
        ["name"] = $"Product {i % products}",
        ["price"] = 10 + (i % 90),
    };
    if (userId is not null)
    {
        e["user_id"] = userId;
    }

    if (userKey is not null)
    {
        e["user_key"] = userKey;
    }

    return e;
}

async Task IngestAsync(IEnumerable<JsonObject> all)
{
    var batches = all.Chunk(BatchSize).ToList();
    var next = -1;
    await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async _ =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < batches.Count)
        {
            var body = new JsonObject { ["events"] = new JsonArray([.. batches[i]]) }.ToJsonString();
            while (true)
            {
                using var response = await http.PostAsync("/api/v1/product-events/batch", new StringContent(body, Encoding.UTF8, "application/json"));
                if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)
                {
                    await Task.Delay(100);
                    continue;
                }

                response.EnsureSuccessStatusCode();
                break;
            }
        }
    }));
}

async Task<long> EventCountAsync(string user)
{
    using var response = await http.GetAsync($"/api/v1/contacts/{user}");
    return response.IsSuccessStatusCode ? JsonNode.Parse(await response.Content.ReadAsStringAsync())!["event_count"]!.GetValue<long>() : 0;
}

async Task PostAsync(string path, JsonObject body)
{
    using var response = await http.PostAsync(path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
    if (!response.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
