namespace ProductEvents.Hosting;

/// <summary>
/// <c>probe &lt;url&gt;</c>: asks a health endpoint of a running process and exits 0 when it answers 200, 1 otherwise. For
/// container health checks, whose images have no HTTP client of their own.
/// </summary>
public static class HealthProbeCommand
{
    public const string Name = "probe";

    public static async Task<int> RunAsync(string[] args, TextWriter error)
    {
        if (args is not [var url] || !Uri.TryCreate(url, UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
        {
            await error.WriteLineAsync("Usage: probe <http://host:port/health/live>");
            return 2;
        }

        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            using var response = await http.GetAsync(address);
            if (response.IsSuccessStatusCode)
            {
                return 0;
            }

            await error.WriteLineAsync($"{address} answered {(int)response.StatusCode}.");
            return 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            await error.WriteLineAsync($"{address} did not answer: {ex.Message}");
            return 1;
        }
    }
}
