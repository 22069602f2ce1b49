using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace ProductEvents.Bench.SegmentBench;

/// <summary>
/// An open-loop load: requests are sent on a schedule (rate ÷ batch per second) whether or not earlier ones were
/// answered, over several clients. A request due while <see cref="BenchSettings.MaxInFlight"/> are outstanding is
/// not sent and counted as skipped, so an overloaded server shows as a rate below the target, not as a queue here.
/// </summary>
public sealed class BackgroundLoad(BenchSettings settings, Api api)
{
    private readonly EventFactory _events = new(settings.Products, settings.Contacts);
    private long _ackedEvents;
    private long _rejected;
    private long _errors;
    private long _skipped;
    private int _inFlight;

    public long AckedEvents => Interlocked.Read(ref _ackedEvents);

    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>The refused requests by status and problem title, for example <c>429 Too many events in flight: 12</c>.</summary>
    public string RejectedByReason =>
        string.Join("; ", _rejectedByReason.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key}: {r.Value}"));

    private readonly ConcurrentDictionary<string, long> _rejectedByReason = new(StringComparer.Ordinal);

    public long Errors => Interlocked.Read(ref _errors);

    public long Skipped => Interlocked.Read(ref _skipped);

    public async Task RunAsync(CancellationToken stop)
    {
        var random = new Random(17);
        var batch = Math.Max(1, settings.BackgroundBatch);
        var path = settings.BackgroundBatch > 1 ? "/api/v1/product-events/batch" : "/api/v1/product-events";
        var requestsPerSecond = settings.BackgroundRate / batch;
        var clock = Stopwatch.StartNew();
        long scheduled = 0;
        var pending = new List<Task>();
        while (!stop.IsCancellationRequested)
        {
            var due = (long)(clock.Elapsed.TotalSeconds * requestsPerSecond);
            for (; scheduled < due; scheduled++)
            {
                if (Volatile.Read(ref _inFlight) >= settings.MaxInFlight)
                {
                    Interlocked.Increment(ref _skipped);
                    continue;
                }

                var body = batch > 1 ? _events.Batch(batch, random) : _events.Single(random);
                Interlocked.Increment(ref _inFlight);
                pending.Add(SendAsync(path, body, batch));
            }

            pending.RemoveAll(t => t.IsCompleted);
            try
            {
                await Task.Delay(2, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await Task.WhenAll(pending);
    }

    private async Task SendAsync(string path, string body, int events)
    {
        try
        {
            using var response = await api.Next().PostAsync(path, Api.Json(body));
            if (response.IsSuccessStatusCode)
            {
                Interlocked.Add(ref _ackedEvents, events);
            }
            else
            {
                Interlocked.Increment(ref _rejected);
                var reason = $"{(int)response.StatusCode} {await TitleAsync(response)}";
                _rejectedByReason.AddOrUpdate(reason, 1, (_, n) => n + 1);
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            Interlocked.Increment(ref _errors);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private static async Task<string> TitleAsync(HttpResponseMessage response)
    {
        try
        {
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return problem.RootElement.TryGetProperty("title", out var title) ? title.GetString() ?? "" : "";
        }
        catch (JsonException)
        {
            return "(no problem body)";
        }
    }
}
