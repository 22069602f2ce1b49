using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace ProductEvents.Bench.Automations;

/// <summary>Posts product events through the batch endpoint, 1,000 a request, retrying the 429s of a full ingest queue.</summary>
public sealed class Ingest(HttpClient http, int concurrency)
{
    public const int BatchSize = 1000;

    /// <summary>
    /// One event per user, <paramref name="perSecond"/> events a second at most (0: as fast as ingest takes them);
    /// answers when each user's batch was sent (the earliest its trigger can apply).
    /// </summary>
    public async Task<Dictionary<string, DateTimeOffset>> SendAsync(IReadOnlyList<string> users, string eventType, int perSecond)
    {
        var sentAt = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var batchSize = perSecond == 0 ? BatchSize : Math.Clamp(perSecond / 10, 1, BatchSize);
        var batches = users.Chunk(batchSize).ToList();
        var next = -1;
        var started = Clock.Now;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < batches.Count)
            {
                if (perSecond > 0 && started + TimeSpan.FromSeconds((double)i * batchSize / perSecond) - Clock.Now is { Ticks: > 0 } early)
                {
                    await Task.Delay(early);
                }

                var at = await PostAsync(batches[i], eventType);
                lock (sentAt)
                {
                    foreach (var user in batches[i])
                    {
                        sentAt[user] = at;
                    }
                }
            }
        }));
        return sentAt;
    }

    /// <summary>Events per second accepted over <paramref name="duration"/> of continuous batches (fresh users each).</summary>
    public async Task<double> ThroughputAsync(string prefix, TimeSpan duration)
    {
        long accepted = 0;
        var started = Clock.Now;
        var end = started + duration;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            for (var n = 0; Clock.Now < end; n++)
            {
                var users = Enumerable.Range(0, BatchSize).Select(i => $"{prefix}-{worker}-{n}-{i}").ToArray();
                await PostAsync(users, "view");
                Interlocked.Add(ref accepted, BatchSize);
            }
        }));
        return accepted / (Clock.Now - started).TotalSeconds;
    }

    private async Task<DateTimeOffset> PostAsync(IReadOnlyList<string> users, string eventType)
    {
        while (true)
        {
            var at = Clock.Now;
            var stamp = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            var events = new JsonArray([.. users.Select(u => (JsonNode)new JsonObject
            {
                ["product_id"] = $"p-{u.GetHashCode() & 1023}", ["event_type"] = eventType, ["user_id"] = u, ["timestamp"] = stamp,
            })]);
            using var content = new StringContent(new JsonObject { ["events"] = events }.ToJsonString(), Encoding.UTF8, "application/json");
            using var response = await http.PostAsync("/api/v1/product-events/batch", content);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                await Task.Delay(50);
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"batch answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }

            return at;
        }
    }
}
