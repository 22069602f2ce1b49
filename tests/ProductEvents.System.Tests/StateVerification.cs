using System.Net;
using System.Text.Json;

namespace ProductEvents.SystemTests;

/// <summary>Checks that the log holds every acknowledged event once and that the API's state equals what the log implies.</summary>
public static class StateVerification
{
    public static async Task AssertLogHoldsEachAcknowledgedEventOnceAsync(LogOracle oracle, EventLoad load)
    {
        var counts = await oracle.EventIdCountsAsync(SiloProcess.AppId);
        var missing = load.Acknowledged.Keys.Where(id => !counts.ContainsKey(id)).Take(10).ToList();
        var repeated = counts.Where(c => c.Value > 1).Select(c => $"{c.Key}×{c.Value}").Take(10).ToList();
        Assert.True(missing.Count == 0, $"Acknowledged events missing from the log: {string.Join(", ", missing)}");
        Assert.True(repeated.Count == 0, $"Events in the log more than once: {string.Join(", ", repeated)}");
    }

    public static async Task AssertApiStateEqualsLogAsync(HttpClient api, LogOracle oracle, IEnumerable<string> productIds, IEnumerable<string> userIds)
    {
        var differences = new List<string>();
        foreach (var productId in productIds)
        {
            var expected = await oracle.ExpectedProductAsync(SiloProcess.AppId, productId);
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
            var expected = await oracle.ExpectedContactAsync(SiloProcess.AppId, userId);
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
