using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using ProductEvents.Api.Tests.Support;

namespace ProductEvents.Api.Tests.UserCom;

/// <summary>
/// A typed client of User.com's REST API, as a shop's code has one: every answer is read into models with User.com's
/// field types under strict settings (no number from a string, no unknown or missing field), and every time must be
/// an ISO-8601 string in the layer's one format.
/// </summary>
public sealed partial class UserComClient(ApiClient api)
{
    public static readonly JsonSerializerOptions Strict = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    private static readonly string[] TimeFields = ["timestamp", "created_at", "updated_at"];

    public ApiClient Api => api;

    /// <summary>Posts a product event; answers the status and the typed answer (null when it is not 200 or 201).</summary>
    public async Task<(HttpStatusCode Status, TypedCreated? Created, string Text)> CreateAsync(string path, JsonObject body)
    {
        using var response = await api.PostJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        var created = response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK ? Read<TypedCreated>(text) : null;
        return (response.StatusCode, created, text);
    }

    /// <summary>Posts a product event and asserts 201; answers its integer id.</summary>
    public async Task<long> CreateNewAsync(string path, JsonObject body)
    {
        var (status, created, text) = await CreateAsync(path, body);
        Assert.True(status == HttpStatusCode.Created, $"POST {path}: {(int)status}: {text}");
        return created!.Id;
    }

    public Task<TypedPage<TypedProductEvent>> PageAsync(string pathOrUrl) => GetAsync<TypedPage<TypedProductEvent>>(pathOrUrl);

    public Task<TypedProduct> ProductAsync(string path) => GetAsync<TypedProduct>(path);

    public async Task<T> GetAsync<T>(string pathOrUrl)
    {
        using var response = await api.GetAsync(pathOrUrl);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {pathOrUrl}: {(int)response.StatusCode}: {text}");
        return Read<T>(text);
    }

    /// <summary>Reads the answer strictly, after checking that each of its times has the one format.</summary>
    public static T Read<T>(string text)
    {
        AssertTimes(JsonNode.Parse(text));
        return JsonSerializer.Deserialize<T>(text, Strict) ?? throw new InvalidOperationException("The answer is JSON null.");
    }

    private static void AssertTimes(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    if (TimeFields.Contains(name))
                    {
                        Assert.True(value?.GetValueKind() == JsonValueKind.String, $"{name} is not a string: {value?.ToJsonString()}");
                        Assert.Matches(OneTimeFormat(), value!.GetValue<string>());
                    }
                    else if (name is not ("data" or "custom_data" or "attributes"))
                    {
                        AssertTimes(value);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    AssertTimes(item);
                }

                break;
        }
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$")]
    private static partial Regex OneTimeFormat();
}
