using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ProductEvents.Bench.Automations;

// Usage: dotnet ProductEvents.Bench.Automations.dll URL TOKEN RUNS WAIT_SECONDS MEASURE_SECONDS CONCURRENCY START_RATE POSTGRES
// START_RATE: runs started per second (0: as fast as ingest takes them). POSTGRES: the silo's database, where each
// run's due time is read after the fact.
var url = new Uri(args[0]);
var token = args[1];
var runs = int.Parse(args[2], CultureInfo.InvariantCulture);
var wait = TimeSpan.FromSeconds(int.Parse(args[3], CultureInfo.InvariantCulture));
var measure = TimeSpan.FromSeconds(int.Parse(args[4], CultureInfo.InvariantCulture));
var concurrency = int.Parse(args[5], CultureInfo.InvariantCulture);
var startRate = int.Parse(args[6], CultureInfo.InvariantCulture);
var postgres = args[7];

using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromMinutes(5) };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", token);
var ingest = new Ingest(http, concurrency);
var receiver = await Receiver.StartAsync();

// Long enough for the JIT's second tier and PostgreSQL's first statistics on the fresh tables.
Console.Error.WriteLine("warming up for 15 s");
await ingest.ThroughputAsync("warm", TimeSpan.FromSeconds(15));
Console.Error.WriteLine($"baseline ingest for {measure.TotalSeconds} s");
var baseline = await ingest.ThroughputAsync("base", measure);

var created = await http.PostAsJsonAsync("/api/v1/automations", new JsonObject
{
    ["name"] = "bench wait",
    ["trigger"] = new JsonObject { ["event"] = new JsonObject { ["types"] = new JsonArray("add to cart") } },
    ["wait"] = $"PT{(int)wait.TotalSeconds}S",
    ["action"] = new JsonObject { ["webhook"] = new JsonObject { ["url"] = receiver.Url.ToString(), ["secret"] = "bench", ["template"] = "{{ product.product_id }}" } },
});
created.EnsureSuccessStatusCode();
var automationId = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();

// Silos re-read automation definitions about once a second.
await Task.Delay(TimeSpan.FromSeconds(2));
Console.Error.WriteLine($"starting {runs} runs");
var loadStarted = Clock.Now;
var users = Enumerable.Range(0, runs).Select(i => $"run{startRate}-{i}").ToArray();
var sentAt = await ingest.SendAsync(users, "add to cart", startRate);
var loadSeconds = (Clock.Now - loadStarted).TotalSeconds;

var waitingFor = sentAt.Values.Min() + wait - Clock.Now;
Console.Error.WriteLine($"ingest with runs waiting for {measure.TotalSeconds} s ({waitingFor.TotalSeconds:0} s before the first is due)");
var withRuns = await ingest.ThroughputAsync("busy", measure);
var measuredWhileWaiting = Clock.Now < sentAt.Values.Min() + wait;

var deadline = sentAt.Values.Max() + wait + TimeSpan.FromMinutes(3);
while (receiver.Arrivals.Count < runs && Clock.Now < deadline)
{
    await Task.Delay(200);
}

await receiver.StopAsync();
(await http.DeleteAsync($"/api/v1/automations/{automationId}")).EnsureSuccessStatusCode();
// Against each run's own due time (when its contact applied the trigger, plus the wait): what the scheduler owes.
var runsByUser = await RunTable.ReadAsync(postgres, automationId);
double[] Seconds(IEnumerable<TimeSpan> spans) => [.. spans.Select(t => t.TotalSeconds).Order()];
var lateness = Seconds(receiver.Arrivals.Where(a => runsByUser.ContainsKey(a.Key)).Select(a => a.Value - runsByUser[a.Key].DueAt));
var firing = Seconds(runsByUser.Values.Where(r => r.Status == "fired").Select(r => r.EndedAt - r.DueAt));
var endToEnd = Seconds(receiver.Arrivals.Where(a => sentAt.ContainsKey(a.Key)).Select(a => a.Value - (sentAt[a.Key] + wait)));
var applyLag = Seconds(runsByUser.Where(r => sentAt.ContainsKey(r.Key)).Select(r => r.Value.DueAt - wait - sentAt[r.Key]));
string Percentiles(double[] s) => s.Length == 0 ? "-" : $"{Percentile(s, 0.5):0.000} s / {Percentile(s, 0.99):0.000} s / {s[^1]:0.000} s";
static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

Console.WriteLine($"| measure | value |");
Console.WriteLine($"|---|---|");
Console.WriteLine($"| runs started (distinct contacts, one `add to cart` each) | {runs:N0} in {loadSeconds:0.0} s ({(startRate == 0 ? "as fast as ingest takes them" : $"paced at {startRate:N0}/s")}) |");
Console.WriteLine($"| wait | {wait.TotalSeconds:0} s |");
Console.WriteLine($"| webhooks received | {receiver.Arrivals.Count:N0} of {runs:N0} |");
Console.WriteLine($"| **lateness**: webhook received − the run's due time, p50 / p99 / max (goal p99 < 1 s) | {Percentiles(lateness)} |");
Console.WriteLine($"| of which firing: run fired − due time, p50 / p99 / max | {Percentiles(firing)} |");
Console.WriteLine($"| trigger applied − event sent (ingest's grain backlog, before the wait starts), p50 / p99 / max | {Percentiles(applyLag)} |");
Console.WriteLine($"| end to end: webhook received − (event sent + wait), p50 / p99 / max | {Percentiles(endToEnd)} |");
Console.WriteLine($"| ingest, no runs waiting (events/s, batch endpoint) | {baseline:N0} |");
Console.WriteLine($"| ingest, {runs:N0} runs waiting (events/s) | {withRuns:N0}{(measuredWhileWaiting ? "" : " (the wait ended during the measure)")} |");
Console.WriteLine($"| ratio (goal ≥ 0.90) | {withRuns / baseline:0.00} |");
return receiver.Arrivals.Count == runs ? 0 : 1;
