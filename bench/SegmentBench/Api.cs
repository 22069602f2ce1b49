using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace ProductEvents.Bench.SegmentBench;

/// <summary>HTTP clients for the silo's API, each with its own connection pool, and the calls the phases share.</summary>
public sealed class Api : IDisposable
{
    private readonly HttpClient[] _clients;
    private int _next;

    public Api(BenchSettings settings, int clients)
    {
        _clients = Enumerable.Range(0, Math.Max(1, clients)).Select(_ =>
        {
            var client = new HttpClient(new SocketsHttpHandler
            {
                MaxConnectionsPerServer = 512,
                PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            })
            {
                BaseAddress = settings.BaseUrl,
                Timeout = TimeSpan.FromSeconds(120),
            };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", settings.Token);
            return client;
        }).ToArray();
    }

    /// <summary>The clients in turn, so load spreads over several connection pools.</summary>
    public HttpClient Next() => _clients[(uint)Interlocked.Increment(ref _next) % _clients.Length];

    public HttpClient First => _clients[0];

    public static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    public async Task<JsonElement> GetJsonAsync(string path, HttpClient? client = null)
    {
        using var response = await (client ?? First).GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode} {text}");
        }

        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>Creates a segment and answers its id.</summary>
    public async Task<string> CreateSegmentAsync(string name, string condition)
    {
        var body = $$"""{"name":{{JsonSerializer.Serialize(name)}},"condition":{{condition}}}""";
        using var response = await First.PostAsync("/api/v1/segments", Json(body));
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"creating segment {name}: {(int)response.StatusCode} {text}");
        }

        using var document = JsonDocument.Parse(text);
        return document.RootElement.GetProperty("id").GetString()!;
    }

    public async Task DeleteSegmentAsync(string id)
    {
        using var response = await First.DeleteAsync($"/api/v1/segments/{id}");
    }

    /// <summary>Polls the segment until it says <c>ready</c>; answers false on timeout.</summary>
    public async Task<bool> WaitReadyAsync(string id, TimeSpan timeout, TimeSpan every, Action<double>? progress = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var segment = await GetJsonAsync($"/api/v1/segments/{id}");
            if (segment.GetProperty("status").GetString() == "ready")
            {
                return true;
            }

            progress?.Invoke(segment.TryGetProperty("progress", out var p) ? p.GetDouble() : double.NaN);
            await Task.Delay(every);
        }

        return false;
    }

    public void Dispose()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
    }
}
