using System.Diagnostics;
using System.Text.Json;

namespace ProductEvents.Bench.SegmentBench;

/// <summary>Row 3: membership checks over random members and non-members, then pages of 1,000 members in order.</summary>
public static class ReadLatency
{
    public static async Task RunAsync(BenchSettings settings, ResultFile results, string segment)
    {
        using var api = new Api(settings, 1);
        var client = api.First;

        // Members to check come from the first pages; the non-members are contacts with no events at all.
        var members = new List<string>();
        string? next = $"/api/v1/segments/{segment}/members?limit=1000";
        for (var i = 0; i < 5 && next is not null; i++)
        {
            var page = await api.GetJsonAsync(next);
            members.AddRange(page.GetProperty("results").EnumerateArray().Select(m => m.GetProperty("user_id").GetString()!));
            next = page.TryGetProperty("next", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        }

        var random = new Random(5);
        var checks = new List<double>(settings.ReadChecks);
        var wrong = 0;
        for (var i = 0; i < settings.ReadChecks; i++)
        {
            var isMember = members.Count > 0 && i % 2 == 0;
            var user = isMember ? members[random.Next(members.Count)] : $"nobody{random.Next(1_000_000)}";
            var start = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync($"/api/v1/segments/{segment}/members/{user}");
            using var document = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
            checks.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            if (document.RootElement.GetProperty("member").GetBoolean() != isMember)
            {
                wrong++;
            }
        }

        Percentiles.Record(results, "read_check", checks);
        results.Set("read_check_wrong", wrong);

        var pages = new List<double>();
        long rows = 0;
        next = $"/api/v1/segments/{segment}/members?limit=1000";
        while (next is not null && pages.Count < settings.ReadPages)
        {
            var start = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync(next);
            using var document = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
            pages.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            rows += document.RootElement.GetProperty("results").GetArrayLength();
            next = document.RootElement.TryGetProperty("next", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        }

        Percentiles.Record(results, "read_page", pages);
        results.Set("read_page_rows", rows);
    }
}
