using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using ProductEvents.Testing;

namespace ProductEvents.SystemTests;

/// <summary>
/// Durable mode: a contact in a time window has its next check as a row of <c>segment_window_checks</c>, committed
/// like every other write, so a silo killed during the window still takes the contact out when the window ends.
/// </summary>
[Collection(PostgresFixture.Collection)]
public sealed class WindowCheckTests(PostgresFixture postgres)
{
    /// <summary>A process on a busy machine, a PostgreSQL coming back: generous.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The window must still be open when the test reads its check and kills the silo. A start, a segment build and the
    /// first event can take well over 15 s on a machine whose cores are busy; the check is then done and removed before
    /// the test reads it. 40 s leaves room for that.
    /// </summary>
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task AMemberLeavesItsWindowOnTimeAfterTheSiloWasKilledDuringIt()
    {
        var connectionString = await postgres.CreateMigratedDatabaseAsync("windows");
        await using var db = NpgsqlDataSource.Create(connectionString);
        await using var silo = SiloProcess.Create(connectionString);
        await silo.StartAsync();
        using var api = silo.CreateClient();
        using var created = await api.PostAsJsonAsync("api/v1/segments", new
        {
            name = "viewed in the last 40 s",
            condition = JsonDocument.Parse($$$"""{"event":{"types":["view"],"within":"PT{{{Window.TotalSeconds}}}S"}}""").RootElement,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var segmentId = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        var viewedAt = DateTimeOffset.UtcNow;
        using (var posted = await api.PostAsJsonAsync("api/v1/product-events", new { product_id = "w-p", user_id = "w-1", event_type = "view", timestamp = viewedAt.ToString("O") }))
        {
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        }

        await Eventually.ReturnsAsync(() => IsMemberAsync(api, segmentId), member => member, "the viewer to join", Deadline);
        var due = await Eventually.ReturnsAsync(() => CheckAsync(db), at => at is not null, "the viewer's window check to be written", Deadline);
        Assert.InRange(due!.Value, viewedAt.Add(Window).AddMilliseconds(-1), viewedAt.Add(Window).AddMilliseconds(1));
        Assert.True(DateTimeOffset.UtcNow < due, "the window ended before the silo could be killed during it");

        await silo.KillAsync();
        Assert.Equal(due, await CheckAsync(db));
        await silo.StartAsync();

        using var restarted = silo.CreateClient();
        await Eventually.ReturnsAsync(() => IsMemberAsync(restarted, segmentId), member => !member, "the viewer to leave when its window ends", Deadline);
        Assert.True(DateTimeOffset.UtcNow >= due, "left before its window ended");
        await Eventually.ReturnsAsync(() => CheckAsync(db), at => at is null, "the done check to be removed", Deadline);
    }

    private static async Task<bool> IsMemberAsync(HttpClient api, string segmentId)
    {
        using var response = await api.GetAsync($"api/v1/segments/{segmentId}/members/w-1");
        return response.IsSuccessStatusCode
            && JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("member").GetBoolean();
    }

    private static async Task<DateTimeOffset?> CheckAsync(NpgsqlDataSource db)
    {
        await using var command = db.CreateCommand("SELECT due_at FROM segment_window_checks WHERE app_id = $1 AND contact_key = 'u/w-1'");
        command.Parameters.Add(new NpgsqlParameter { Value = SiloProcess.AppId });
        return await command.ExecuteScalarAsync() is DateTime at ? new DateTimeOffset(at, TimeSpan.Zero) : null;
    }
}
