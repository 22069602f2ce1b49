using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

// Usage: dotnet ProductEvents.Bench.Memory.dll URL TOKEN EVENTS CONNECTIONS SILO_PID RSS_CAP_MB SAMPLES_FILE OPERATOR_KEY
// Sends EVENTS events in batches of 1,000 from CONNECTIONS connections, each event with a product and a contact never
// seen before (event n: product m<n>, user u<n>, event_id e<n>, so a batch sent again is answered as duplicates).
// Every second it samples the silo's VmRSS and VmHWM (/proc/SILO_PID/status) and the events acknowledged, and every
// five seconds the silo's grain activations (/metrics); one line per second goes to SAMPLES_FILE. Above RSS_CAP_MB
// the silo is killed and the run stops, so a run without a budget cannot take the machine's memory. Prints a summary
// in Markdown; exits 1 when an event was refused or the silo was capped.
var url = new Uri(args[0]);
var token = args[1];
var total = long.Parse(args[2], CultureInfo.InvariantCulture);
var connections = int.Parse(args[3], CultureInfo.InvariantCulture);
var siloPid = int.Parse(args[4], CultureInfo.InvariantCulture);
var rssCapMb = long.Parse(args[5], CultureInfo.InvariantCulture);
var samplesFile = args[6];
var operatorKey = args[7];
const int BatchSize = 1000;

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections + 1 })
{
    BaseAddress = url,
    Timeout = TimeSpan.FromMinutes(2),
};
var batches = (total + BatchSize - 1) / BatchSize;
long nextBatch = -1, acked = 0, non2xx = 0, transportErrors = 0, rejected = 0;
long peakSampledRss = 0, activations = 0, peakActivations = 0;
var capped = false;
using var stop = new CancellationTokenSource();
var clock = Stopwatch.StartNew();
var deciles = new double[11];
await using var samples = new StreamWriter(samplesFile) { AutoFlush = true };
await samples.WriteLineAsync("seconds\trss_mb\thwm_mb\tevents_acked\tevents_per_s\tactivations");

var sampler = Task.Run(SampleAsync);
await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(SendAsync)));
clock.Stop();
await stop.CancelAsync();
await sampler;
var (endRss, endHwm) = ReadRss();
var cpuSeconds = ReadCpuSeconds();

var seconds = clock.Elapsed.TotalSeconds;
Console.WriteLine("| what | value |");
Console.WriteLine("|---|---|");
Row("events acknowledged", $"{acked:N0} of {total:N0}");
Row("time", $"{seconds:N0} s, {acked / seconds:N0} events/s on average");
Row("silo peak RSS (VmHWM)", $"{endHwm:N0} MB (highest sampled VmRSS {peakSampledRss:N0} MB, at the end {endRss:N0} MB)");
Row("grain activations, most sampled", $"{peakActivations:N0}");
Row("silo CPU", $"{cpuSeconds:N0} s, {cpuSeconds * 1e6 / Math.Max(1, acked):N0} µs per event");
Row("non-2xx answers (sent again)", $"{non2xx:N0}");
Row("transport errors (sent again)", $"{transportErrors:N0}");
Row("events refused (rejected)", $"{rejected:N0}");
if (capped)
{
    Row("stopped", $"the silo passed the cap of {rssCapMb:N0} MB and was killed");
}

Console.WriteLine();
Console.WriteLine("| share of the events | events/s |");
Console.WriteLine("|---|---:|");
for (var d = 1; d <= 10 && deciles[d] > 0; d++)
{
    Console.WriteLine(Inv($"| {(d - 1) * 10}-{d * 10}% | {total / 10.0 / (deciles[d] - deciles[d - 1]):N0} |"));
}

return rejected > 0 || capped || acked < total ? 1 : 0;

async Task SendAsync()
{
    while (!stop.IsCancellationRequested)
    {
        var batch = Interlocked.Increment(ref nextBatch);
        if (batch >= batches)
        {
            return;
        }

        var first = batch * BatchSize;
        var count = (int)Math.Min(BatchSize, total - first);
        var body = Body(first, count);
        for (var attempt = 0; !stop.IsCancellationRequested; attempt++)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/product-events/batch")
                {
                    Content = new StringContent(body, Encoding.UTF8, "application/json"),
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("Token", token);
                using var response = await http.SendAsync(request, stop.Token);
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref non2xx);
                    await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), stop.Token);
                    continue;
                }

                var results = JsonNode.Parse(await response.Content.ReadAsStringAsync(stop.Token))!["results"]!.AsArray();
                var refused = results.Count(r => r!["status"]!.GetValue<string>() == "rejected");
                Interlocked.Add(ref rejected, refused);
                Acknowledge(count - refused);
                break;
            }
            catch (Exception) when (!stop.IsCancellationRequested)
            {
                Interlocked.Increment(ref transportErrors);
                await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}

void Acknowledge(int events)
{
    var now = Interlocked.Add(ref acked, events);
    var reached = (int)Math.Min(10, now * 10 / total);
    lock (deciles)
    {
        for (var d = 1; d <= reached; d++)
        {
            if (deciles[d] == 0)
            {
                deciles[d] = clock.Elapsed.TotalSeconds;
            }
        }
    }
}

async Task SampleAsync()
{
    using var metrics = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(10) };
    metrics.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", operatorKey);
    using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
    long lastAcked = 0;
    var lastAt = 0.0;
    var tick = 0;
    try
    {
        while (await timer.WaitForNextTickAsync(stop.Token))
        {
            var (rss, hwm) = ReadRss();
            peakSampledRss = Math.Max(peakSampledRss, rss);
            if (tick++ % 5 == 0)
            {
                activations = await ActivationsAsync(metrics) ?? activations;
                peakActivations = Math.Max(peakActivations, activations);
            }

            var now = clock.Elapsed.TotalSeconds;
            var ackedNow = Interlocked.Read(ref acked);
            await samples.WriteLineAsync(Inv($"{now:0}\t{rss}\t{hwm}\t{ackedNow}\t{(ackedNow - lastAcked) / (now - lastAt):0}\t{activations}"));
            (lastAcked, lastAt) = (ackedNow, now);
            if (rss > rssCapMb)
            {
                capped = true;
                Process.GetProcessById(siloPid).Kill();
                await stop.CancelAsync();
            }
        }
    }
    catch (OperationCanceledException)
    {
    }
}

(long RssMb, long HwmMb) ReadRss()
{
    long rss = 0, hwm = 0;
    try
    {
        foreach (var line in File.ReadLines($"/proc/{siloPid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kilobytes(line) / 1024;
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                hwm = Kilobytes(line) / 1024;
            }
        }
    }
    catch (IOException)
    {
        // The silo is gone.
    }

    return (rss, hwm);

    static long Kilobytes(string line) => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}

// utime and stime, fields 14 and 15 of /proc/PID/stat, in clock ticks of 1/100 s (after the command's closing parenthesis).
double ReadCpuSeconds()
{
    try
    {
        var fields = File.ReadAllText($"/proc/{siloPid}/stat").Split(')')[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }
    catch (IOException)
    {
        return 0;
    }
}

async Task<long?> ActivationsAsync(HttpClient metrics)
{
    try
    {
        var text = await metrics.GetStringAsync("/metrics", stop.Token);
        return (long)text.Split('\n')
            .Where(l => l.StartsWith("orleans_catalog_activations{", StringComparison.Ordinal) || l.StartsWith("orleans_catalog_activations ", StringComparison.Ordinal))
            .Sum(l => double.Parse(l.Split(' ')[^1], CultureInfo.InvariantCulture));
    }
    catch (Exception) when (!stop.IsCancellationRequested)
    {
        return null;
    }
}

static string Body(long first, int count)
{
    var body = new StringBuilder(count * 170).Append("{\"events\":[");
    for (var i = 0; i < count; i++)
    {
        var n = first + i;
        body.Append(i == 0 ? "" : ",").Append(Inv(
            $"{{\"event_id\":\"e{n}\",\"product_id\":\"m{n}\",\"user_id\":\"u{n}\",\"event_type\":{n % 16 + 1},\"name\":\"Product {n}\",\"price\":{n % 1000}.{n % 100:00},\"color\":\"red\",\"in_stock\":true}}"));
    }

    return body.Append("]}").ToString();
}

static void Row(string what, string value) => Console.WriteLine($"| {what} | {value} |");

static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
