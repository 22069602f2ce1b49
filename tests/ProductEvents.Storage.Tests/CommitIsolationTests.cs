using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using ProductEvents.Abstractions;
using ProductEvents.Api.EventLog;
using ProductEvents.Api.Ingest;
using ProductEvents.Storage.EventLog;
using ProductEvents.Testing;

namespace ProductEvents.Storage.Tests;

/// <summary>
/// A value PostgreSQL refuses, should one pass validation, fails only its own event: the log tells it apart from an
/// outage, and the group commit isolates it and commits everything else it held.
/// </summary>
[Collection(PostgresFixture.Collection)]
public sealed class CommitIsolationTests(PostgresFixture postgres)
{
    private const string App = "isolation";
    private const string Secret = "isolation-secret-5d2c";
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ARefusedValueIsADataErrorNotAnOutage()
    {
        await using var db = NpgsqlDataSource.Create(await postgres.CreateMigratedDatabaseAsync("refused"));
        var log = new PostgresEventLog(db, TimeProvider.System, Options.Create(new EventLogOptions()), NullLogger<PostgresEventLog>.Instance);

        await Assert.ThrowsAsync<EventLogDataException>(() => log.AppendAsync([Record("p1", "u1", 1), Record("p\0nul", "u1", 2)]));

        Assert.True(await log.IsReadyAsync());
        Assert.Equal(0, await log.CountAsync(new EventQuery(App, null, null, null, null, null, null, 100, null)));
    }

    [Fact]
    public async Task OnePoisonedEventInAGroupCommitFailsAloneAndEveryOtherEventIsCommittedAndApplied()
    {
        var connectionString = await postgres.CreateMigratedDatabaseAsync("isolate");
        await using var host = await new TestHostBuilder()
            .WithPostgres(connectionString)
            .WithApp(App, Secret)
            .WithSetting("Orleans:ServiceId", "isolation-tests")
            .StartAsync();

        await PoisonedCommitsAsync(host);
    }

    private static async Task PoisonedCommitsAsync(TestHost host)
    {
        var pipeline = host.Services.GetRequiredService<IngestPipeline>();

        // Submitted without waiting: they gather in the same commits. Each poison is one PostgreSQL refuses.
        var poisons = new[]
        {
            Record("poison-name", "u-poison", 100) with { Name = "nul \0 in a name" },
            Record("poison-json", "u-poison", 101) with { CustomDataJson = """{"n": 1e999999999}""" },
            Record("poison-escape", "u-poison", 102) with { CustomDataJson = """{"s": "a\u0000b"}""" },
        };
        var valid = Enumerable.Range(0, 40).Select(i => Record($"p-{i % 5}", $"u-{i % 8}", i)).ToArray();
        var mixed = new[] { Record("p-mixed", "u-mixed", 200), Record("poison-in-batch", "u-mixed", 201) with { UserKey = "k\0" }, Record("p-mixed", "u-mixed", 202) };
        var submissions = new List<(ProductEventRecord[] Events, Task<AppendOutcome[]> Outcome)>();
        for (var i = 0; i < valid.Length; i++)
        {
            submissions.Add(([valid[i]], pipeline.SubmitAsync([valid[i]])));
            if (i % 13 == 0)
            {
                var poison = poisons[i / 13 % poisons.Length];
                submissions.Add(([poison], pipeline.SubmitAsync([poison])));
            }
        }

        var mixedOutcome = pipeline.SubmitAsync(mixed);
        await Task.WhenAll(submissions.Select(s => s.Outcome));

        foreach (var (events, outcome) in submissions)
        {
            var result = (await outcome)[0];
            Assert.Equal(events[0].ProductId.StartsWith("poison", StringComparison.Ordinal), result.IsRefused);
        }

        var mixedResults = await mixedOutcome;
        Assert.Equal([false, true, false], mixedResults.Select(o => o.IsRefused));
        Assert.Contains("cannot store", mixedResults[1].RefusedBecause, StringComparison.Ordinal);

        using var http = host.CreateClient(Secret);
        var listed = await GetJsonAsync(http, "/api/v1/product-events?limit=500");
        Assert.Equal(valid.Length + 2, listed["results"]!.AsArray().Count);
        Assert.DoesNotContain(listed["results"]!.AsArray(), e => e!["product_id"]!.GetValue<string>().StartsWith("poison", StringComparison.Ordinal));

        // The grains hold what was committed: products p-0..p-4 saw 8 events each.
        var product = await GetJsonAsync(http, "/api/v1/products/p-0");
        Assert.Equal(8, product["event_counts"]!["view"]!.GetValue<int>());
        using var ready = await http.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    private static ProductEventRecord Record(string productId, string userId, int n) => new(
        0, Guid.NewGuid(), App, productId, ProductEventType.View, userId, null, null, T0.AddSeconds(n), T0.AddSeconds(n), null,
        new Dictionary<string, AttributeValue> { ["n"] = AttributeValue.FromString($"{n}") }, null);

    private static async Task<JsonNode> GetJsonAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }
}
