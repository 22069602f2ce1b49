using System.Net;
using ProductEvents.Testing;

namespace ProductEvents.SystemTests;

[Collection(PostgresFixture.Collection)]
public sealed class PostgresOutageTests(PostgresFixture postgres)
{
    /// <summary>A process on a busy machine, a PostgreSQL coming back: generous.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ClientsGetRetryableAnswersWhilePostgresIsDownAndIngestResumesWithNothingLost()
    {
        var connectionString = await postgres.CreateMigratedDatabaseAsync("outage");
        await using var silo = SiloProcess.Create(connectionString);
        await silo.StartAsync();
        var load = new EventLoad(silo.CreateClient, clients: 6, products: 40, users: 120, seed: 11);
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(stop.Token);
        using var probe = silo.CreateClient();
        try
        {
            Assert.True(await load.WaitForAcknowledgedAsync(300, TimeSpan.FromSeconds(60)));
            await postgres.Server.StopAsync();

            await Eventually.TrueAsync(() => load.Statuses.GetValueOrDefault(503) > 20, "more than 20 answers 503 while PostgreSQL is down", Deadline);
            using (var ready = await probe.GetAsync("health/ready"))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            }

            using (var refused = await probe.PostAsync("api/v1/product-events", new StringContent("""{"product_id":"x","event_type":"view","user_id":"y"}""")))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
                Assert.True(refused.Headers.RetryAfter is not null, "503 without Retry-After");
                Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            }

            var acknowledgedWhileDown = load.AcknowledgedCount;
            await postgres.Server.StartAsync();
            Assert.True(await load.WaitForAcknowledgedAsync(acknowledgedWhileDown + 500, TimeSpan.FromSeconds(120)), "Ingest did not resume after PostgreSQL came back.");
            await Eventually.TrueAsync(
                async () =>
                {
                    using var ready = await probe.GetAsync("health/ready");
                    return ready.StatusCode == HttpStatusCode.OK;
                },
                "the silo to be ready again",
                Deadline);
        }
        finally
        {
            await postgres.Server.StartAsync();
            await stop.CancelAsync();
            await running;
        }

        Assert.DoesNotContain(load.Statuses.Keys, status => status >= 500 && status != 503);
        await using var oracle = new LogOracle(connectionString);
        await StateVerification.AssertLogHoldsEachAcknowledgedEventOnceAsync(oracle, load);
        await StateVerification.AssertApiStateEqualsLogAsync(probe, oracle, load.ProductIds, load.UserIds);
    }

    /// <summary>
    /// PostgreSQL crashes (an immediate stop: no checkpoint, WAL not yet flushed is lost) while new contacts keep arriving,
    /// so commits are registering new keys at that instant. A registration does not wait for its own flush; the commit
    /// of its entries, after it, does. So every key the log holds entries for must still be registered, or a grain
    /// would take a key with history for new. Then the silo restarts (cold grains, nothing remembered), the same keys
    /// get more events, and every product and contact equals what the log implies.
    /// </summary>
    [Fact]
    public async Task EveryKeyWithEntriesStaysRegisteredThroughAPostgresCrash()
    {
        var connectionString = await postgres.CreateMigratedDatabaseAsync("pg_crash");
        await using var silo = SiloProcess.Create(connectionString);
        await silo.StartAsync();
        var load = new EventLoad(silo.CreateClient, clients: 8, products: 300, users: 1_500, seed: 31);
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(stop.Token);
        try
        {
            Assert.True(await load.WaitForAcknowledgedAsync(1_500, TimeSpan.FromSeconds(120)), "The load did not reach the crash point.");
            await postgres.Server.KillAsync();
            await Eventually.TrueAsync(() => load.Statuses.GetValueOrDefault(503) > 20, "more than 20 answers 503 while PostgreSQL is down", Deadline);
            var acknowledgedWhileDown = load.AcknowledgedCount;
            await postgres.Server.StartAsync();
            Assert.True(await load.WaitForAcknowledgedAsync(acknowledgedWhileDown + 1_000, TimeSpan.FromSeconds(120)), "Ingest did not resume after PostgreSQL came back.");
        }
        finally
        {
            await postgres.Server.StartAsync();
            await stop.CancelAsync();
            await running;
        }

        await silo.KillAsync();
        await silo.StartAsync();
        var again = new EventLoad(silo.CreateClient, clients: 8, products: 300, users: 1_500, seed: 32);
        using (var stopAgain = new CancellationTokenSource())
        {
            var runningAgain = again.RunAsync(stopAgain.Token);
            Assert.True(await again.WaitForAcknowledgedAsync(1_500, TimeSpan.FromSeconds(120)), "Ingest did not run after the silo's restart.");
            await stopAgain.CancelAsync();
            await runningAgain;
        }

        Assert.DoesNotContain(load.Statuses.Keys, status => status >= 500 && status != 503);
        await using var oracle = new LogOracle(connectionString);
        Assert.Empty(await oracle.UnregisteredKeysAsync());
        await StateVerification.AssertLogHoldsEachAcknowledgedEventOnceAsync(oracle, load);
        await StateVerification.AssertLogHoldsEachAcknowledgedEventOnceAsync(oracle, again);
        using var api = silo.CreateClient();
        await StateVerification.AssertApiStateEqualsLogAsync(api, oracle, load.ProductIds, load.UserIds);
    }
}
