using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ProductEvents.Api.Tests.Support;

/// <summary>Sends requests to a running host with one app key (or none), the way a shop's server would.</summary>
public sealed class ApiClient(HttpClient http, string? key, string scheme = "Token")
{
    public Task<HttpResponseMessage> GetAsync(string pathOrUrl) => SendAsync(HttpMethod.Get, pathOrUrl, content: null);

    public Task<HttpResponseMessage> PostJsonAsync(string path, string json) =>
        SendAsync(HttpMethod.Post, path, new StringContent(json, Encoding.UTF8, "application/json"));

    public Task<HttpResponseMessage> PostJsonAsync(string path, JsonNode body) => PostJsonAsync(path, body.ToJsonString());

    public Task<HttpResponseMessage> PostAsync(string path, HttpContent? content) => SendAsync(HttpMethod.Post, path, content);

    public Task<HttpResponseMessage> PutJsonAsync(string path, string json) =>
        SendAsync(HttpMethod.Put, path, new StringContent(json, Encoding.UTF8, "application/json"));

    public Task<HttpResponseMessage> PatchJsonAsync(string path, string json) =>
        SendAsync(HttpMethod.Patch, path, new StringContent(json, Encoding.UTF8, "application/json"));

    public Task<HttpResponseMessage> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path, content: null);

    /// <summary>Posts one event and asserts it was accepted as new; answers its id.</summary>
    public async Task<string> IngestAsync(JsonObject body)
    {
        using var response = await PostJsonAsync("/api/v1/product-events", body);
        var json = await Http.ReadJsonAsync(response);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {json}");
        Assert.False(json["duplicate"]!.GetValue<bool>());
        return json["id"]!.GetValue<string>();
    }

    /// <summary>Posts a batch and asserts every event was accepted.</summary>
    public async Task<string[]> IngestBatchAsync(IEnumerable<JsonObject> events)
    {
        var body = new JsonObject { ["events"] = new JsonArray([.. events]) };
        using var response = await PostJsonAsync("/api/v1/product-events/batch", body);
        var json = await Http.ReadJsonAsync(response);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.OK, $"{(int)response.StatusCode}: {json}");
        var results = json["results"]!.AsArray();
        Assert.All(results, r => Assert.Equal("accepted", r!["status"]!.GetValue<string>()));
        return [.. results.Select(r => r!["id"]!.GetValue<string>())];
    }

    /// <summary>GETs a JSON resource and asserts 200.</summary>
    public async Task<JsonNode> GetJsonAsync(string pathOrUrl)
    {
        using var response = await GetAsync(pathOrUrl);
        var json = await Http.ReadJsonAsync(response);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.OK, $"GET {pathOrUrl}: {(int)response.StatusCode}: {json}");
        return json;
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string pathOrUrl, HttpContent? content)
    {
        var request = new HttpRequestMessage(method, pathOrUrl) { Content = content };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue(scheme, key);
        }

        return http.SendAsync(request);
    }
}
