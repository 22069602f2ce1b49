using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ProductEvents.SystemTests;

/// <summary>
/// Several concurrent clients sending product events with idempotency keys, the way a careful shop backend would:
/// every event is sent until it is acknowledged (202), whatever happens to the silo or to PostgreSQL meanwhile.
/// Products and contacts come from small pools so many events meet on the same grains; event times scatter an hour
/// around the start so late events are common. With <c>resendEvery</c> n, every n-th event a client sends is one it
/// had acknowledged before, with its event_id: the answer must say duplicate, with the first answer's id.
/// </summary>
public sealed class EventLoad(Func<HttpClient> createClient, int clients, int products, int users, int seed, int resendEvery = 0)
{
    private static readonly string[] Types = ["view", "detail", "add to cart", "purchase", "liking", "refund"];
    private static readonly string[] Colors = ["red", "green", "blue", "black"];

    private readonly ConcurrentDictionary<string, string> _acknowledged = new();
    private readonly ConcurrentDictionary<int, int> _statuses = new();
    private readonly ConcurrentQueue<string> _wrongDuplicateAnswers = new();
    private readonly DateTimeOffset _base = DateTimeOffset.UtcNow.AddMinutes(-30);
    private int _connectionFailures;
    private int _resent;
    private volatile bool _draining;

    /// <summary>event_id → the id the API answered with.</summary>
    public IReadOnlyDictionary<string, string> Acknowledged => _acknowledged;

    public int AcknowledgedCount => _acknowledged.Count;

    public int ConnectionFailures => _connectionFailures;

    public IReadOnlyDictionary<int, int> Statuses => _statuses;

    /// <summary>Events sent again on purpose after they were acknowledged (<c>resendEvery</c>) and answered 202 again.</summary>
    public int Resent => _resent;

    /// <summary>Answers to those that did not say duplicate with the first answer's id; must stay empty.</summary>
    public IReadOnlyCollection<string> WrongDuplicateAnswers => _wrongDuplicateAnswers;

    public IEnumerable<string> ProductIds => Enumerable.Range(0, products).Select(ProductId);

    public IEnumerable<string> UserIds => Enumerable.Range(0, users).Select(UserId);

    /// <summary>Runs until <paramref name="stop"/> is cancelled, then keeps retrying what is unacknowledged until all is.</summary>
    public Task RunAsync(CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(() => ClientAsync(client, stop))));

    public async Task<bool> WaitForAcknowledgedAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (AcknowledgedCount < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        return AcknowledgedCount >= count;
    }

    /// <summary>
    /// Runs until <paramref name="acknowledged"/> events are acknowledged, then <paramref name="step"/> (a kill, a
    /// restart), then until <paramref name="more"/> more are; then stops and waits until every event sent is acknowledged.
    /// </summary>
    public async Task RunAroundAsync(int acknowledged, Func<Task> step, int more)
    {
        using var stop = new CancellationTokenSource();
        var running = RunAsync(stop.Token);
        try
        {
            Assert.True(await WaitForAcknowledgedAsync(acknowledged, TimeSpan.FromSeconds(120)), $"The load did not get going: {AcknowledgedCount} of {acknowledged} acknowledged.");
            await step();
            var mark = AcknowledgedCount;
            Assert.True(await WaitForAcknowledgedAsync(mark + more, TimeSpan.FromSeconds(120)), $"Ingest did not go on after the step: {AcknowledgedCount - mark} of {more} acknowledged.");
        }
        finally
        {
            // Also on a failure: the clients then stop within their drain deadline instead of sending on forever.
            await stop.CancelAsync();
        }

        await running;
    }

    private async Task ClientAsync(int client, CancellationToken stop)
    {
        var random = new Random(seed * 1000 + client);
        using var http = createClient();
        var pending = new Queue<Dictionary<string, object?>>();
        var acknowledged = new List<Dictionary<string, object?>>();
        var resend = false;
        var sequence = 0;
        var drainDeadline = DateTime.MaxValue;
        while (true)
        {
            if (stop.IsCancellationRequested && !_draining)
            {
                _draining = true;
            }

            if (_draining && drainDeadline == DateTime.MaxValue)
            {
                drainDeadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            }

            if (pending.Count == 0)
            {
                if (_draining)
                {
                    return;
                }

                resend = resendEvery > 0 && acknowledged.Count > 0 && random.Next(resendEvery) == 0;
                pending.Enqueue(resend ? acknowledged[random.Next(acknowledged.Count)] : NextEvent(client, sequence++, random));
            }

            if (DateTime.UtcNow > drainDeadline)
            {
                throw new TimeoutException($"Client {client} could not deliver {pending.Count} events after the load stopped.");
            }

            var body = pending.Peek();
            try
            {
                using var response = await http.PostAsJsonAsync("api/v1/product-events", body);
                _statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                    var eventId = (string)body["event_id"]!;
                    var id = answer.RootElement.GetProperty("id").GetString()!;
                    if (resend)
                    {
                        Interlocked.Increment(ref _resent);
                        if (!answer.RootElement.GetProperty("duplicate").GetBoolean() || id != _acknowledged[eventId])
                        {
                            _wrongDuplicateAnswers.Enqueue($"{eventId}: {answer.RootElement.GetRawText()}, first answered id {_acknowledged[eventId]}");
                        }
                    }
                    else
                    {
                        _acknowledged[eventId] = id;
                        acknowledged.Add(body);
                    }

                    pending.Dequeue();
                    continue;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                Interlocked.Increment(ref _connectionFailures);
            }

            // Not acknowledged (refused, 429, 503 or a lost answer): the same event, with the same event_id, later.
            await Task.Delay(50);
        }
    }

    private Dictionary<string, object?> NextEvent(int client, int sequence, Random random)
    {
        var body = new Dictionary<string, object?>
        {
            ["event_id"] = $"c{client}-{sequence}",
            ["product_id"] = ProductId(random.Next(products)),
            ["user_id"] = UserId(random.Next(users)),
            ["event_type"] = Types[random.Next(Types.Length)],
            ["timestamp"] = _base.AddSeconds(random.Next(0, 3600)).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["price"] = Math.Round(random.Next(100, 100_000) / 100.0 + 0.01, 2),
            ["color"] = Colors[random.Next(Colors.Length)],
            ["in_stock"] = random.Next(2) == 0,
        };
        if (random.Next(3) == 0)
        {
            body["name"] = $"Product {body["product_id"]} v{random.Next(100)}";
        }

        return body;
    }

    private static string ProductId(int n) => $"p-{n}";

    private static string UserId(int n) => $"u-{n}";
}
