// Reads a ProductEvents cluster as an in-cluster client: a product, a contact, a segment's members and its changes.
// The cluster's PostgreSQL and ids come from configuration (appsettings.json, environment, command line), the same
// keys the silos read; what to read comes from the Sample section. See README.md.
using InClusterClient;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ProductEvents.Abstractions;
using ProductEvents.Client;

var builder = Host.CreateApplicationBuilder(args);
builder.AddProductEventsClient();
var sample = builder.Configuration.GetSection("Sample").Get<SampleOptions>() ?? new();
using var host = builder.Build();
await host.StartAsync();
var reader = host.Services.GetRequiredService<ProductEventsReader>();

var product = await reader.GetProductAsync(sample.AppId, sample.ProductId);
Console.WriteLine(product is null
    ? $"product {sample.ProductId}: none"
    : $"product {product.ProductId}: name '{product.Name}', attributes {string.Join(", ", product.Attributes.Select(a => $"{a.Key}={a.Value.Text}"))}; "
        + $"events {string.Join(", ", product.EventCounts.Select(c => $"{ProductEventTypes.Name(c.Key)}={c.Value}"))}");

var contact = await reader.GetContactAsync(sample.AppId, ContactRef.User(sample.UserId));
Console.WriteLine(contact is null
    ? $"contact {sample.UserId}: none"
    : $"contact {contact.Contact.Value}: {contact.EventCount} events; "
        + string.Join(", ", contact.Interactions.Select(i => $"{i.ProductId} {ProductEventTypes.Name(i.EventType)} x{i.Count}")));

if (sample.SegmentId.Length > 0)
{
    var segment = await reader.GetSegmentAsync(sample.AppId, sample.SegmentId);
    var members = new List<string>();
    await foreach (var member in reader.ReadSegmentMembersAsync(sample.AppId, sample.SegmentId))
    {
        members.Add(member.Contact.Value);
    }

    Console.WriteLine($"segment {sample.SegmentId} '{segment?.Name}' ({segment?.Status}): {members.Count} members: {string.Join(", ", members)}");

    if (sample.Watch > TimeSpan.Zero)
    {
        Console.WriteLine($"changes of segment {sample.SegmentId} for {sample.Watch}:");
        using var watching = new CancellationTokenSource(sample.Watch);
        try
        {
            await foreach (var change in reader.WatchSegmentAsync(sample.AppId, sample.SegmentId, cancellationToken: watching.Token))
            {
                Console.WriteLine($"  #{change.Number} {change.Contact.Value} {(change.Joined ? "joined" : "left")} at {change.At:O}");
            }
        }
        catch (OperationCanceledException) when (watching.IsCancellationRequested)
        {
        }
    }
}

await host.StopAsync();
