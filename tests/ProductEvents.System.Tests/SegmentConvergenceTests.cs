using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ProductEvents.Abstractions;
using ProductEvents.Grains.Segments;
using ProductEvents.Testing;

namespace ProductEvents.SystemTests;

[Collection(PostgresFixture.Collection)]
public sealed class SegmentConvergenceTests(PostgresFixture postgres)
{
    private static readonly Dictionary<string, string> Definitions = new()
    {
        ["cart without purchase"] = """{"all":[{"event":{"types":["add to cart"]}},{"not":{"event":{"types":["purchase"]}}}]}""",
        ["cart not followed by purchase"] = """{"event":{"types":["add to cart"],"not_followed_by":{"types":["purchase"]}}}""",
        ["interested in red"] = """{"event":{"types":["view","detail","liking"],"product":{"color":{"eq":"red"}}}}""",
        ["bought expensive in stock"] = """{"event":{"types":["purchase"],"product":{"price":{"gt":500},"in_stock":{"eq":true}}}}""",
        ["frequent viewers"] = """{"event":{"types":["view"],"count":{"gte":3}}}""",
    };

    [Fact]
    public async Task MembershipsConvergeToWhatTheLogImpliesAfterTheSiloIsKilled()
    {
        var connectionString = await postgres.CreateMigratedDatabaseAsync("segments");
        await using var silo = SiloProcess.Create(connectionString);
        await silo.StartAsync();
        using var api = silo.CreateClient();
        var segments = new Dictionary<string, string>();
        foreach (var (name, condition) in Definitions)
        {
            using var created = await api.PostAsJsonAsync("api/v1/segments", new { name, condition = JsonDocument.Parse(condition).RootElement });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            segments[name] = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        }

        var load = new EventLoad(silo.CreateClient, clients: 6, products: 30, users: 150, seed: 23);
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(stop.Token);
        Assert.True(await load.WaitForAcknowledgedAsync(1_500, TimeSpan.FromSeconds(120)));
        await silo.KillAsync();
        var acknowledgedAtKill = load.AcknowledgedCount;
        await silo.StartAsync();
        Assert.True(await load.WaitForAcknowledgedAsync(acknowledgedAtKill + 1_000, TimeSpan.FromSeconds(120)));
        await stop.CancelAsync();
        await running;

        await using var oracle = new LogOracle(connectionString);
        var expected = await ExpectedMembersAsync(oracle, load, segments);
        using var client = silo.CreateClient();
        await Eventually.ReturnsAsync(
            async () =>
            {
                var differences = new List<string>();
                foreach (var (name, id) in segments)
                {
                    var actual = await MembersAsync(client, id);
                    differences.AddRange(expected[name].Except(actual).Select(u => $"{name}: {u} missing"));
                    differences.AddRange(actual.Except(expected[name]).Select(u => $"{name}: {u} should not be a member"));
                }

                return differences;
            },
            differences => differences.Count == 0,
            "every segment's members to be those the log implies (the value: the first differences)",
            TimeSpan.FromSeconds(60));
        Assert.All(expected.Values, members => Assert.NotEmpty(members));
    }

    private static async Task<Dictionary<string, HashSet<string>>> ExpectedMembersAsync(LogOracle oracle, EventLoad load, Dictionary<string, string> segments)
    {
        var products = new Dictionary<string, ProductSnapshot>(StringComparer.Ordinal);
        foreach (var productId in load.ProductIds)
        {
            if (await oracle.ExpectedProductAsync(SiloProcess.AppId, productId) is { } product)
            {
                products[productId] = product;
            }
        }

        var conditions = Definitions.ToDictionary(d => d.Key, d => SegmentConditionParser.Parse(JsonDocument.Parse(d.Value).RootElement, out _)!);
        var expected = segments.Keys.ToDictionary(name => name, _ => new HashSet<string>(StringComparer.Ordinal));
        var now = DateTimeOffset.UtcNow;
        foreach (var userId in load.UserIds)
        {
            if (await oracle.ContactStateAsync(SiloProcess.AppId, userId) is not { } contact)
            {
                continue;
            }

            foreach (var (name, condition) in conditions)
            {
                if (SegmentEvaluator.Evaluate(condition, contact, products, now).IsMember)
                {
                    expected[name].Add(userId);
                }
            }
        }

        return expected;
    }

    private static async Task<HashSet<string>> MembersAsync(HttpClient api, string segmentId)
    {
        var members = new HashSet<string>(StringComparer.Ordinal);
        string? next = $"api/v1/segments/{segmentId}/members?limit=1000";
        while (next is not null)
        {
            using var page = JsonDocument.Parse(await api.GetStringAsync(next));
            foreach (var member in page.RootElement.GetProperty("results").EnumerateArray())
            {
                members.Add(member.GetProperty("user_id").GetString()!);
            }

            next = page.RootElement.GetProperty("next").GetString();
        }

        return members;
    }
}
