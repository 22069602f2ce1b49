using System.Net;
using Npgsql;
using ProductEvents.Api.Tests.Segments;
using ProductEvents.Api.Tests.Support;

namespace ProductEvents.Api.Tests.Privacy;

/// <summary>
/// An erasure that a stop or a crash interrupted is resumed when the durable host starts again, from the step it had
/// recorded: what a crash leaves behind is made directly in the database between two hosts.
/// </summary>
[Collection(PostgresFixture.Collection)]
public sealed class ErasureResumeTests(PostgresFixture postgres)
{
    [Fact]
    public async Task ErasureInterruptedAfterTheLogStepIsFinishedByTheNextHost()
    {
        var database = await postgres.CreateMigratedDatabaseAsync("erasure_resume");
        var (user, kept, product) = (Ids.User(), Ids.User(), Ids.Product());
        string segment;
        await using (var first = await StartAsync(database))
        {
            var api = Api(first);
            segment = await api.CreateReadyAsync("viewers", PrivacyHost.ViewedCondition(product));
            await api.IngestAsync(PrivacyHost.Event(product, "view", user));
            await api.IngestAsync(PrivacyHost.Event(product, "view", user));
            await api.IngestAsync(PrivacyHost.Event(product, "view", kept));
            await api.WaitMemberAsync(segment, user);
            await api.WaitMemberAsync(segment, kept);
            Assert.Equal(2, (await api.GetJsonAsync($"/api/v1/contacts/{user}"))["event_count"]!.GetValue<long>());
        }

        // The host stopped (its contacts stored their snapshots) in the middle of an erasure: the request was recorded,
        // its log step deleted the entries and saved the next step, and nothing after it ran.
        Assert.True(await SnapshotRowsAsync(database, user) > 0, "the contact's snapshot was stored");
        await ExecuteAsync(database, "DELETE FROM product_events WHERE app_id = $1 AND user_id = $2", PrivacyHost.Shop, user);
        await ExecuteAsync(database,
            "INSERT INTO contact_erasures (app_id, user_id, visitor_keys, requested_at, step, events) VALUES ($1, $2, '{}', now(), 'grains', 2)",
            PrivacyHost.Shop, user);

        await using var second = await StartAsync(database);
        var resumed = Api(second);
        await Eventually.TrueAsync(
            async () => (await resumed.GetJsonAsync($"/api/v1/contacts/{user}/erasure"))["status"]!.GetValue<string>() == "done",
            "the erasure to be resumed and done");

        await Http.AssertProblemAsync(await resumed.GetAsync($"/api/v1/contacts/{user}"), HttpStatusCode.NotFound);
        Assert.Equal(0, await SnapshotRowsAsync(database, user));
        Assert.False(await resumed.IsMemberAsync(segment, user));
        Assert.True(await resumed.IsMemberAsync(segment, kept));
        Assert.Equal(2, (await resumed.GetJsonAsync($"/api/v1/contacts/{user}/erasure"))["events"]!.GetValue<long>());
    }

    [Fact]
    public async Task ErasureRecordedButNotStartedIsRunByTheNextHost()
    {
        var database = await postgres.CreateMigratedDatabaseAsync("erasure_pending");
        var (user, product) = (Ids.User(), Ids.Product());
        await using (var first = await StartAsync(database))
        {
            await Api(first).IngestAsync(PrivacyHost.Event(product, "view", user));
            await Eventually.TrueAsync(async () => (await Api(first).GetAsync($"/api/v1/contacts/{user}")).IsSuccessStatusCode, "the contact");
        }

        await ExecuteAsync(database,
            "INSERT INTO contact_erasures (app_id, user_id, visitor_keys, requested_at, step) VALUES ($1, $2, '{}', now(), 'log')",
            PrivacyHost.Shop, user);

        await using var second = await StartAsync(database);
        var api = Api(second);
        await Eventually.TrueAsync(
            async () => (await api.GetJsonAsync($"/api/v1/contacts/{user}/erasure"))["status"]!.GetValue<string>() == "done",
            "the recorded erasure to run");

        await Http.AssertProblemAsync(await api.GetAsync($"/api/v1/contacts/{user}"), HttpStatusCode.NotFound);
        Assert.Empty((await api.GetJsonAsync($"/api/v1/product-events?user_id={user}"))["results"]!.AsArray());
    }

    private static Task<TestHost> StartAsync(string database) =>
        new TestHostBuilder()
            .WithApp(PrivacyHost.Shop, PrivacyHost.ShopSecret)
            .WithSetting("Orleans:ServiceId", "erasure-resume")
            .WithSetting("ProductEvents:Erasure:PollInterval", "00:00:00.200")
            .WithPostgres(database)
            .StartAsync();

    private static ApiClient Api(TestHost host) => new(host.CreateClient(), PrivacyHost.ShopSecret);

    private static async Task<long> SnapshotRowsAsync(string database, string user)
    {
        await using var db = NpgsqlDataSource.Create(database);
        await using var command = db.CreateCommand("SELECT count(*) FROM orleans_storage WHERE grain_id_extension LIKE '%/u/' || $1");
        command.Parameters.Add(new NpgsqlParameter { Value = user });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(string database, string sql, params object[] values)
    {
        await using var db = NpgsqlDataSource.Create(database);
        await using var command = db.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await command.ExecuteNonQueryAsync();
    }
}
