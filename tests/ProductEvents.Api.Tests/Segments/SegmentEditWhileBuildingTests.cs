using System.Diagnostics;
using System.Globalization;
using System.Net;
using ProductEvents.Api.Tests.Support;

namespace ProductEvents.Api.Tests.Segments;

/// <summary>
/// Editing and deleting segments whose build over tens of thousands of contacts is under way, on a host whose grain
/// calls time out after a few seconds: a call cycle between the registry, the segment's build and the contacts would
/// stall these requests until that timeout and fail them.
/// </summary>
public sealed class SegmentEditWhileBuildingTests(ShortTimeoutHostFixture host) : IClassFixture<ShortTimeoutHostFixture>
{
    private const int Contacts = 24_000;
    private const string Buyers = """{"event": {"types": ["purchase"]}}""";
    private const string Likers = """{"event": {"types": ["liking"]}}""";
    private const string Viewers = """{"event": {"types": ["view"]}}""";

    private static readonly TimeSpan BuildDeadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task ASegmentEditedAndAnotherDeletedWhileBuildingAnswerAtOnceAndEndWithTheNewMembersAndNoRows()
    {
        var api = host.Api;
        var likers = await IngestContactsAsync(api);

        var edited = (await api.CreateAsync("buyers", Buyers))["id"]!.GetValue<string>();
        var deleted = (await api.CreateAsync("viewers", Viewers))["id"]!.GetValue<string>();
        var calls = Stopwatch.StartNew();
        using var edit = await api.PutJsonAsync($"/api/v1/segments/{edited}", SegmentCalls.Definition("likers", Likers));
        using var delete = await api.DeleteAsync($"/api/v1/segments/{deleted}");
        calls.Stop();

        Assert.True(edit.IsSuccessStatusCode, $"PUT while building: {(int)edit.StatusCode} {await edit.Content.ReadAsStringAsync()}");
        Assert.True(delete.IsSuccessStatusCode, $"DELETE while building: {(int)delete.StatusCode} {await delete.Content.ReadAsStringAsync()}");
        Assert.True(calls.Elapsed < ShortTimeoutHostFixture.ResponseTimeout, $"the edit and the delete took {calls.Elapsed.TotalSeconds:F1} s");
        var ready = await api.WaitReadyAsync(edited, BuildDeadline);
        Assert.Equal(2, ready["version"]!.GetValue<int>());
        Assert.Equal(likers, await api.AllMembersAsync(edited, limit: 1000));
        using var gone = await api.GetAsync($"/api/v1/segments/{deleted}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        await Eventually.ReturnsAsync(
            () => host.Memberships.CountAsync(ShortTimeoutHostFixture.AppId, deleted),
            n => n == 0,
            "the deleted segment's rows to be gone",
            BuildDeadline);
    }

    /// <summary>Every contact has one event; a quarter of them like a product. Answers the likers in key order.</summary>
    private static async Task<List<string>> IngestContactsAsync(ApiClient api)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        string User(int i) => $"u-{run}-{i.ToString("D5", CultureInfo.InvariantCulture)}";
        string Type(int i) => (i % 4) switch { 0 => "liking", 1 => "purchase", _ => "view" };
        for (var from = 0; from < Contacts; from += 1_000)
        {
            await api.IngestBatchAsync(Enumerable.Range(from, 1_000).Select(i => Bodies.Event(Ids.Product(), User(i), Type(i), Bodies.At(i % 600))));
        }

        return [.. Enumerable.Range(0, Contacts).Where(i => i % 4 == 0).Select(User).Order(StringComparer.Ordinal)];
    }
}
