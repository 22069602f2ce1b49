using System.Net;
using System.Text.Json;

namespace ProductEvents.SystemTests;

/// <summary>Checks that the log holds every acknowledged event once and that the API's state equals what the log implies.</summary>
public static class StateVerification
{
    /// <summary>
    /// What a test that ran <paramref name="load"/> against a cluster checks once it has stopped: every answer was 202 or
    /// a retryable refusal (429, 503), every acknowledged event is in the log once, and every product and contact, read
    /// through the API of each of <paramref name="readers"/>, equals what the log implies.
    /// </summary>
    public static async Task AssertLoadLandedAsync(
        string connectionString, EventLoad load, IEnumerable<Uri> readers, string appId = SiloProcess.AppId, string secretKey = SiloProcess.SecretKey)
    {
        AssertOnlyRetryableRefusals(load);
        await using var oracle = new LogOracle(connectionString);
        await AssertLogHoldsEachAcknowledgedEventOnceAsync(oracle, load, appId);
        foreach (var reader in readers)
        {
            using var api = ApiClients.Create(reader, secretKey);
            await AssertApiStateEqualsLogAsync(api, oracle, load.ProductIds, load.UserIds, appId);
        }
    }

    /// <summary>Waits until each of <paramref name="processes"/> answers <c>/health/ready</c> with 200 (after a kill, say).</summary>
    public static async Task WaitUntilReadyAsync(IEnumerable<Uri> processes)
    {
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        foreach (var process in processes)
        {
            await Eventually.TrueAsync(() => HostProcess.AnswersOkAsync(probe, new Uri(process, "health/ready")), $"{process} ready again", TimeSpan.FromSeconds(60));
        }
    }

    /// <summary>Every answer was 202, or a refusal to try again later (429, 503); never a 500.</summary>
    public static void AssertOnlyRetryableRefusals(EventLoad load)
    {
        var refused = load.Statuses.Keys.Where(s => s is not (202 or 429 or 503)).ToList();
        Assert.True(refused.Count == 0, $"Answers other than 202, 429 and 503: {string.Join(", ", refused.Select(s => $"{s}×{load.Statuses[s]}"))}");
    }

    /// <summary>Also that events sent again on purpose were answered as duplicates of the first (<see cref="EventLoad.WrongDuplicateAnswers"/>).</summary>
    public static async Task AssertLogHoldsEachAcknowledgedEventOnceAsync(LogOracle oracle, EventLoad load, string appId = SiloProcess.AppId)
    {
        Assert.True(load.WrongDuplicateAnswers.Count == 0, $"Events sent again not answered as duplicates: {string.Join("; ", load.WrongDuplicateAnswers.Take(5))}");
        var counts = await oracle.EventIdCountsAsync(appId);
        var missing = load.Acknowledged.Keys.Where(id => !counts.ContainsKey(id)).Take(10).ToList();
        var repeated = counts.Where(c => c.Value > 1).Select(c => $"{c.Key}×{c.Value}").Take(10).ToList();
        Assert.True(missing.Count == 0, $"Acknowledged events missing from the log: {string.Join(", ", missing)}");
        Assert.True(repeated.Count == 0, $"Events in the log more than once: {string.Join(", ", repeated)}");
    }

    public static async Task AssertApiStateEqualsLogAsync(
        HttpClient api, LogOracle oracle, IEnumerable<string> productIds, IEnumerable<string> userIds, string appId = SiloProcess.AppId)
    {
        var differences = new List<string>();
        foreach (var productId in productIds)
        {
            var expected = await oracle.ExpectedProductAsync(appId, productId);
            using var response = await api.GetAsync($"api/v1/products/{productId}");
            if (expected is null)
            {
                if (response.StatusCode != HttpStatusCode.NotFound)
                {
                    differences.Add($"{productId}: API answers {(int)response.StatusCode}, the log has no event");
                }

                continue;
            }

            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET product {productId}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            differences.AddRange(LogOracle.Differences(expected, json.RootElement));
        }

        foreach (var userId in userIds)
        {
            var expected = await oracle.ExpectedContactAsync(appId, userId);
            using var response = await api.GetAsync($"api/v1/contacts/{userId}");
            if (expected is null)
            {
                if (response.StatusCode != HttpStatusCode.NotFound)
                {
                    differences.Add($"{userId}: API answers {(int)response.StatusCode}, the log has no event");
                }

                continue;
            }

            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET contact {userId}: {(int)response.StatusCode}");
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            differences.AddRange(LogOracle.Differences(expected, json.RootElement));
        }

        Assert.True(differences.Count == 0, $"{differences.Count} differences from the log, first ones:\n{string.Join("\n", differences.Take(20))}");
    }
}
