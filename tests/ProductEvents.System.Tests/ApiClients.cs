using System.Net.Http.Headers;

namespace ProductEvents.SystemTests;

/// <summary>Clients of a process's API: its base address, an app's secret key, and a timeout long enough for a loaded machine.</summary>
public static class ApiClients
{
    /// <param name="handler">Sends the requests; by default a plain one (a round robin over several processes, say).</param>
    public static HttpClient Create(Uri baseAddress, string secretKey, HttpMessageHandler? handler = null)
    {
        var client = handler is null ? new HttpClient() : new HttpClient(handler);
        client.BaseAddress = baseAddress;
        client.Timeout = TimeSpan.FromSeconds(30);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", secretKey);
        return client;
    }
}
