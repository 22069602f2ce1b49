using System.Diagnostics;
using System.Net;

namespace ProductEvents.Bench.SegmentBench;

/// <summary>Row 2's preparation: fills the log through the batch endpoint with several concurrent clients.</summary>
public static class Ingest
{
    public static async Task RunAsync(BenchSettings settings, ResultFile results)
    {
        using var api = new Api(settings, settings.IngestClients);
        var factory = new EventFactory(settings.Products, settings.Contacts);
        var batches = (settings.IngestEvents + settings.IngestBatch - 1) / settings.IngestBatch;
        long taken = 0, acked = 0, throttled = 0;
        var clock = Stopwatch.StartNew();
        var deadline = TimeSpan.FromSeconds(settings.IngestMaxSeconds);

        async Task WorkerAsync(int worker)
        {
            var random = new Random(1000 + worker);
            var client = api.Next();
            while (Interlocked.Increment(ref taken) <= batches && clock.Elapsed < deadline)
            {
                var body = factory.Batch(settings.IngestBatch, random);
                while (clock.Elapsed < deadline)
                {
                    using var response = await client.PostAsync("/api/v1/product-events/batch", Api.Json(body));
                    if (response.IsSuccessStatusCode)
                    {
                        Interlocked.Add(ref acked, settings.IngestBatch);
                        break;
                    }

                    if (response.StatusCode != HttpStatusCode.TooManyRequests && (int)response.StatusCode < 500)
                    {
                        throw new InvalidOperationException($"batch: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    }

                    Interlocked.Increment(ref throttled);
                    await Task.Delay(200);
                }
            }
        }

        var workers = Enumerable.Range(0, settings.IngestClients).Select(w => Task.Run(() => WorkerAsync(w))).ToList();
        var all = Task.WhenAll(workers);
        while (await Task.WhenAny(all, Task.Delay(10_000)) != all)
        {
            var done = Interlocked.Read(ref acked);
            Console.Error.WriteLine($"[segment-bench ingest] {clock.Elapsed.TotalSeconds:0}s: {done:N0} events acknowledged ({done / clock.Elapsed.TotalSeconds:N0}/s)");
        }

        await all;
        var seconds = clock.Elapsed.TotalSeconds;

        // An answer means committed; the grains apply the commits after it. A contact read waits until they have,
        // so the build row starts from a silo that is no longer catching up.
        using (var caughtUp = await api.First.GetAsync("/api/v1/contacts/c0"))
        {
        }

        var applied = clock.Elapsed.TotalSeconds;
        results.Set("ingest_events", acked);
        results.Set("ingest_seconds", seconds);
        results.Set("ingest_rate", acked / seconds);
        results.Set("ingest_applied_rate", acked / applied);
        results.Set("ingest_throttled", throttled);
        results.Set("ingest_clients", settings.IngestClients);
    }
}
