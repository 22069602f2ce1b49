using System.Net;
using System.Net.Http.Json;

namespace ProductEvents.SystemTests;

public sealed class SiloStopTests
{
    /// <summary>
    /// A normal stop of the embedded default after traffic: every activated product and contact used to try to write
    /// its snapshot to in-memory storage whose own grains were deactivating, printing hundreds of lines of errors.
    /// </summary>
    [Fact]
    public async Task EmbeddedStopAfterTrafficPrintsNoWarningOrError()
    {
        await using var silo = SiloProcess.Embedded();
        silo.Environment["Logging__Console__FormatterName"] = "simple";
        await silo.StartAsync();
        using (var api = silo.CreateClient())
        {
            for (var i = 0; i < 200; i++)
            {
                using var sent = await api.PostAsJsonAsync("api/v1/product-events",
                    new { product_id = $"stop-p{i}", user_id = $"stop-u{i % 40}", event_type = "view" });
                Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
            }

            // A read through every contact and product makes sure they are activated and hold unsaved entries.
            for (var i = 0; i < 40; i++)
            {
                using var contact = await api.GetAsync($"api/v1/contacts/stop-u{i}");
                Assert.Equal(HttpStatusCode.OK, contact.StatusCode);
            }
        }

        var mark = silo.OutputLines;
        var exitCode = await silo.StopAsync();

        var printed = silo.OutputSince(mark);
        Assert.Equal(0, exitCode);
        var complaints = printed.Where(line => line.StartsWith("warn:", StringComparison.Ordinal) || line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal));
        Assert.True(!complaints.Any(), "The stop printed:\n" + string.Join('\n', printed.Take(60)));
    }
}
