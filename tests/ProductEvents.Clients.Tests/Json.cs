using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace ProductEvents.Clients.Tests;

internal static class Json
{
    public static StringContent Body(string json, string mediaType = "application/json") => new(json, Encoding.UTF8, mediaType);

    public static async Task<JsonNode> ReadAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("Empty body.");

    public static async Task<JsonNode> GetJsonAsync(this HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        response.EnsureSuccessStatusCode();
        return await response.ReadAsync();
    }

    public static Task<HttpResponseMessage> PostJsonTextAsync(this HttpClient client, string url, string json) =>
        client.PostAsync(url, Body(json));

    public static Task<HttpResponseMessage> PostAsJsonAsync<T>(this HttpClient client, string url, T value) =>
        HttpClientJsonExtensions.PostAsJsonAsync(client, url, value);
}
