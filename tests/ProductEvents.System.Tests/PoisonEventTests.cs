using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ProductEvents.Testing;

namespace ProductEvents.SystemTests;

/// <summary>
/// Attack 1: while app beta sends a normal load, app alpha's public key (which any shop page exposes) sends events the
/// event log cannot store: a NUL in a string, a number jsonb cannot hold, a lone surrogate, custom_data 63 levels
/// deep. Each must be refused at the door; none may fail the group commit that beta's events share.
/// </summary>
[Collection(PostgresFixture.Collection)]
public sealed class PoisonEventTests(PostgresFixture postgres)
{
    private const string Alpha = "alpha";
    private const string AlphaPublicKey = "alpha-public-key";
    private const string Beta = "beta";
    private const string BetaSecretKey = "beta-secret-key";
    private const int NormalEvents = 3_000;
    private const int PoisonEvents = 40;

    private static readonly string[] Poisons =
    [
        """{"product_id":"poison-1","event_type":"view","user_key":"visitor-1","name":"nul\u0000here"}""",
        """{"product_id":"poison-2","event_type":"view","user_key":"visitor-1","custom_data":{"n":1e999999999}}""",
        """{"product_id":"poison-3","event_type":"view","user_key":"visitor-1","custom_data":{"s":"lone \ud800"}}""",
        """{"product_id":"poison-4","event_type":"view","user_key":"visitor-1","custom_data":""" + Nested(63) + "}",
    ];

    [Fact]
    public async Task PoisonEventsFromOneAppAreRefusedWhileAnotherAppsLoadIsAllAcceptedAndStored()
    {
        var database = await postgres.CreateMigratedDatabaseAsync("poison");
        await using var silo = SiloProcess.Create(database);
        silo.Environment[$"ProductEvents__Apps__{Alpha}__SecretKey"] = "alpha-secret-key";
        silo.Environment[$"ProductEvents__Apps__{Alpha}__PublicKey"] = AlphaPublicKey;
        silo.Environment[$"ProductEvents__Apps__{Beta}__SecretKey"] = BetaSecretKey;
        await silo.StartAsync();

        var load = new EventLoad(() => Client(silo, BetaSecretKey), clients: 4, products: 50, users: 200, seed: 11);
        using var stop = new CancellationTokenSource();
        var poisonAnswers = new ConcurrentQueue<string>();
        var readinessFailures = new ConcurrentQueue<string>();
        var running = load.RunAsync(stop.Token);
        var poisoning = Task.Run(() => PoisonAsync(silo, poisonAnswers, stop.Token));
        var probing = Task.Run(() => ProbeReadinessAsync(silo, readinessFailures, stop.Token));

        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while ((load.AcknowledgedCount < NormalEvents || poisonAnswers.Count < PoisonEvents) && DateTime.UtcNow < deadline && !running.IsFaulted)
        {
            await Task.Delay(50);
        }

        await stop.CancelAsync();
        await Task.WhenAll(running, poisoning, probing);

        Assert.True(load.AcknowledgedCount >= NormalEvents, $"only {load.AcknowledgedCount} normal events acknowledged in 3 minutes");
        Assert.True(poisonAnswers.Count >= PoisonEvents, $"only {poisonAnswers.Count} poison events answered in 3 minutes");
        var statuses = string.Join(", ", load.Statuses.Select(s => $"{s.Key}: {s.Value}"));
        Assert.True(load.Statuses.Keys.All(status => status == (int)HttpStatusCode.Accepted) && load.ConnectionFailures == 0,
            $"normal events of app beta failed: statuses {statuses}, {load.ConnectionFailures} connection failures");
        var wrong = poisonAnswers.Where(answer => !answer.StartsWith("400 application/problem+json", StringComparison.Ordinal)).ToList();
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {poisonAnswers.Count} poison events not refused with 400 problem+json: {string.Join(" | ", wrong.Take(5))}");
        Assert.True(readinessFailures.IsEmpty, $"/health/ready was not 200 {readinessFailures.Count} times: {string.Join(" | ", readinessFailures.Take(5))}");

        await using var oracle = new LogOracle(database);
        var logged = await oracle.EventIdCountsAsync(Beta);
        var missing = load.Acknowledged.Keys.Where(id => !logged.TryGetValue(id, out var count) || count != 1).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} acknowledged normal events are not in the log exactly once: {string.Join(", ", missing.Take(10))}");
        Assert.Equal(load.AcknowledgedCount, logged.Values.Sum());
        Assert.Empty(await oracle.EventIdCountsAsync(Alpha));
    }

    private static async Task PoisonAsync(SiloProcess silo, ConcurrentQueue<string> answers, CancellationToken stop)
    {
        var random = new Random(5);
        using var http = Client(silo, AlphaPublicKey);
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            using var content = new StringContent(Poisons[i % Poisons.Length], Encoding.UTF8, "application/json");
            try
            {
                using var response = await http.PostAsync("api/v1/product-events", content, CancellationToken.None);
                var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
                answers.Enqueue($"{(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType} poison {i % Poisons.Length + 1}: {body[..Math.Min(body.Length, 200)]}");
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                answers.Enqueue($"no answer to poison {i % Poisons.Length + 1}: {ex.Message}");
            }

            try
            {
                // The attacker's pace, not a wait for a condition.
                await Task.Delay(random.Next(50, 200), stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task ProbeReadinessAsync(SiloProcess silo, ConcurrentQueue<string> failures, CancellationToken stop)
    {
        using var probe = new HttpClient { BaseAddress = silo.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var response = await probe.GetAsync("health/ready", CancellationToken.None);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    failures.Enqueue($"{(int)response.StatusCode} at {DateTime.UtcNow:HH:mm:ss.fff}");
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                failures.Enqueue($"no answer: {ex.Message}");
            }

            try
            {
                await Task.Delay(100, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static HttpClient Client(SiloProcess silo, string key)
    {
        var client = new HttpClient { BaseAddress = silo.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", key);
        return client;
    }

    private static string Nested(int depth) =>
        string.Concat(Enumerable.Repeat("{\"d\":", depth - 1)) + "{\"leaf\":1}" + new string('}', depth - 1);
}
