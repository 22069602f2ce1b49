using System.Net;
using System.Text.Json.Nodes;
using ProductEvents.Api.Tests.Support;

namespace ProductEvents.Api.Tests.Segments;

/// <summary>Segment requests the tests repeat, and waiting for memberships by polling the API with a deadline.</summary>
public static class SegmentCalls
{
    /// <summary>Creates a segment, asserts 201, and answers its id once it is ready.</summary>
    public static async Task<string> CreateReadyAsync(this ApiClient api, string name, string conditionJson)
    {
        var created = await api.CreateAsync(name, conditionJson);
        var id = created["id"]!.GetValue<string>();
        await api.WaitReadyAsync(id);
        return id;
    }

    public static async Task<JsonNode> CreateAsync(this ApiClient api, string name, string conditionJson)
    {
        using var response = await api.PostJsonAsync("/api/v1/segments", Definition(name, conditionJson));
        var json = await Http.ReadJsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {json}");
        return json;
    }

    public static string Definition(string name, string conditionJson) =>
        new JsonObject { ["name"] = name, ["condition"] = JsonNode.Parse(conditionJson) }.ToJsonString();

    public static Task<JsonNode> WaitReadyAsync(this ApiClient api, string id, TimeSpan? deadline = null) =>
        Eventually.ReturnsAsync(() => api.GetJsonAsync($"/api/v1/segments/{id}"), s => s["status"]!.GetValue<string>() == "ready", $"segment {id} to be ready", deadline);

    public static async Task<bool> IsMemberAsync(this ApiClient api, string id, string userId) =>
        (await api.GetJsonAsync($"/api/v1/segments/{id}/members/{Uri.EscapeDataString(userId)}"))["member"]!.GetValue<bool>();

    public static Task WaitMemberAsync(this ApiClient api, string id, string userId, bool member = true) =>
        Eventually.ReturnsAsync(() => api.IsMemberAsync(id, userId), m => m == member, $"{userId} to be {(member ? "a member" : "no member")} of {id}");

    public static async Task<long> CountAsync(this ApiClient api, string id) =>
        (await api.GetJsonAsync($"/api/v1/segments/{id}/count"))["count"]!.GetValue<long>();

    /// <summary>The user ids of every member, following <c>next</c> until it is null.</summary>
    public static async Task<List<string>> AllMembersAsync(this ApiClient api, string id, int limit = 100)
    {
        var members = new List<string>();
        string? url = $"/api/v1/segments/{id}/members?limit={limit}";
        while (url is not null)
        {
            var page = await api.GetJsonAsync(url);
            members.AddRange(page["results"]!.AsArray().Select(m => m!["user_id"]!.GetValue<string>()));
            url = page["next"]?.GetValue<string>();
        }

        return members;
    }
}
