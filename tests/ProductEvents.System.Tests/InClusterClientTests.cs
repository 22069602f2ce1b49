using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ProductEvents.Abstractions;
using ProductEvents.Abstractions.Segments;
using ProductEvents.Client;
using ProductEvents.Testing;

namespace ProductEvents.SystemTests;

/// <summary>
/// An in-cluster .NET client (src/Client, the ProductEvents.Client package) joins a durable silo running as a process of
/// its own, with the silo's service and cluster ids, and reads what was written through HTTP.
/// </summary>
[Collection(PostgresFixture.Collection)]
public sealed class InClusterClientTests(PostgresFixture postgres)
{
    private const string ServiceId = "client-tests-service";
    private const string ClusterId = "client-tests-cluster";

    [Fact]
    public async Task ClientReadsProductContactSegmentMembersAndChangesWrittenThroughHttp()
    {
        var connectionString = await postgres.CreateMigratedDatabaseAsync("client");
        await using var silo = SiloProcess.Create(connectionString);
        silo.Environment["Orleans__ServiceId"] = ServiceId;
        silo.Environment["Orleans__ClusterId"] = ClusterId;
        await silo.StartAsync();
        using var api = silo.CreateClient();

        var segmentId = await CreateSegmentAsync(api, "carts", """{"event":{"types":["add to cart"]}}""");
        await SendAsync(api, new { product_id = "shoe", user_id = "ann", event_type = "add to cart", name = "Red shoe", color = "red" });
        await SendAsync(api, new { product_id = "shoe", user_id = "bob", event_type = "add to cart" });
        await SendAsync(api, new { product_id = "shoe", user_id = "cid", event_type = "view" });

        using var host = await StartClientAsync(connectionString);
        var reader = host.Services.GetRequiredService<ProductEventsReader>();

        var product = await Eventually.ReturnsAsync(() => reader.GetProductAsync(SiloProcess.AppId, "shoe"),
            p => p?.EventCounts.Values.Sum() == 3, "the product holds its three events");
        Assert.Equal("Red shoe", product!.Name);
        Assert.Equal(AttributeValue.FromString("red"), product.Attributes["color"]);
        Assert.Equal(2, product.EventCounts[ProductEventType.AddToCart]);

        var contact = await Eventually.GetAsync(() => reader.GetContactAsync(SiloProcess.AppId, ContactRef.User("ann")), "ann's summary");
        var interaction = Assert.Single(contact.Interactions);
        Assert.Equal(("shoe", ProductEventType.AddToCart, 1L), (interaction.ProductId, interaction.EventType, interaction.Count));
        Assert.Null(await reader.GetContactAsync(SiloProcess.AppId, ContactRef.User("nobody")));

        var members = await Eventually.ReturnsAsync(() => MembersAsync(reader, segmentId), m => m.Count == 2, "ann and bob are members");
        Assert.Equal(["ann", "bob"], members);
        await Eventually.TrueAsync(async () => (await reader.GetSegmentAsync(SiloProcess.AppId, segmentId))?.Status == SegmentStatus.Ready, "the segment is built");

        // The change feed: the joins so far, then one that happens while the client watches.
        using var watching = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var seen = new List<SegmentChange>();
        var watch = Task.Run(async () =>
        {
            await foreach (var change in reader.WatchSegmentAsync(SiloProcess.AppId, segmentId, pollInterval: TimeSpan.FromMilliseconds(50), cancellationToken: watching.Token))
            {
                lock (seen)
                {
                    seen.Add(change);
                }

                if (change.Contact == ContactRef.User("dan"))
                {
                    return;
                }
            }
        });
        await SendAsync(api, new { product_id = "shoe", user_id = "dan", event_type = "add to cart" });
        await watch;

        lock (seen)
        {
            Assert.Equal(["ann", "bob", "dan"], seen.Select(c => c.Contact.Value).Order().ToArray());
            Assert.All(seen, c => Assert.True(c.Joined));
            Assert.Equal(seen.Select(c => c.Number).Order(), seen.Select(c => c.Number));
        }
    }

    [Fact]
    public async Task SampleBuiltFromThePackageReadsWhatWasWrittenThroughHttp()
    {
        var root = RepositoryRoot();

        // As another service takes the client: packed into artifacts/packages, the sample restored from there.
        var (built, buildOutput) = await RunAsync("bash", [Path.Combine(root, "samples", "build.sh")], root, TimeSpan.FromMinutes(8));
        Assert.True(built == 0, buildOutput);

        var connectionString = await postgres.CreateMigratedDatabaseAsync("sample");
        await using var silo = SiloProcess.Create(connectionString);
        silo.Environment["Orleans__ServiceId"] = ServiceId;
        silo.Environment["Orleans__ClusterId"] = ClusterId;
        await silo.StartAsync();
        using var api = silo.CreateClient();
        var segmentId = await CreateSegmentAsync(api, "carts", """{"event":{"types":["add to cart"]}}""");
        await SendAsync(api, new { product_id = "mug", user_id = "gus", event_type = "add to cart", name = "Blue mug" });
        await Eventually.TrueAsync(async () => (await api.GetStringAsync($"api/v1/segments/{segmentId}/members")).Contains("\"gus\"", StringComparison.Ordinal)
            && (await api.GetStringAsync($"api/v1/segments/{segmentId}")).Contains("\"status\":\"ready\"", StringComparison.Ordinal), "gus is a member of the built segment");

        var sample = Path.Combine(root, "samples", "InClusterClient", "bin", "Debug", "net10.0", "InClusterClient.dll");
        var (exit, output) = await RunAsync("dotnet",
            [sample, $"--ConnectionStrings:Postgres={connectionString}", $"--Orleans:ServiceId={ServiceId}", $"--Orleans:ClusterId={ClusterId}",
             $"--Sample:AppId={SiloProcess.AppId}", "--Sample:ProductId=mug", "--Sample:UserId=gus", $"--Sample:SegmentId={segmentId}", "--Sample:Watch=00:00:01"],
            root, TimeSpan.FromMinutes(2));

        Assert.True(exit == 0, output);
        Assert.Contains("product mug: name 'Blue mug'", output, StringComparison.Ordinal);
        Assert.Contains("events add to cart=1", output, StringComparison.Ordinal);
        Assert.Contains("contact gus: 1 events; mug add to cart x1", output, StringComparison.Ordinal);
        Assert.Contains($"segment {segmentId} 'carts' (Ready): 1 members: gus", output, StringComparison.Ordinal);
        Assert.Contains("#1 gus joined", output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] arguments, string directory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} could not be started.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish within {timeout}:\n{await stdout}\n{await stderr}");
        }

        return (process.ExitCode, $"{await stdout}\n{await stderr}");
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ProductEvents.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("ProductEvents.sln not found above " + AppContext.BaseDirectory);
    }

    private static async Task<IHost> StartClientAsync(string connectionString)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = connectionString,
            ["Orleans:ServiceId"] = ServiceId,
            ["Orleans:ClusterId"] = ClusterId,
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddProductEventsClient();
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static async Task<List<string>> MembersAsync(ProductEventsReader reader, string segmentId)
    {
        var members = new List<string>();
        await foreach (var member in reader.ReadSegmentMembersAsync(SiloProcess.AppId, segmentId))
        {
            members.Add(member.Contact.Value);
        }

        return members;
    }

    internal static async Task<string> CreateSegmentAsync(HttpClient api, string name, string condition)
    {
        using var created = await api.PostAsJsonAsync("api/v1/segments", new { name, condition = JsonDocument.Parse(condition).RootElement });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
    }

    internal static async Task SendAsync(HttpClient api, object productEvent)
    {
        using var sent = await api.PostAsJsonAsync("api/v1/product-events", productEvent);
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
    }
}
