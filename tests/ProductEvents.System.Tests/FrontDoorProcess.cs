namespace ProductEvents.SystemTests;

/// <summary>
/// A front door (src/FrontDoor) as a process of its own: the HTTP API joined to the silos' cluster as an Orleans
/// client, on the cluster's PostgreSQL, with the app of <see cref="SiloProcess"/>.
/// </summary>
public sealed class FrontDoorProcess(string connectionString) : IAsyncDisposable
{
    private readonly HostProcess _host = new("The front door");

    public int HttpPort { get; } = FreePorts.Next();

    public Uri BaseAddress => new($"http://127.0.0.1:{HttpPort}/");

    /// <summary>Extra configuration for the process, as environment variables (<c>Section__Key</c>).</summary>
    public Dictionary<string, string> Environment { get; } = [];

    public HttpClient CreateClient() => ApiClients.Create(BaseAddress, SiloProcess.SecretKey);

    /// <summary>Starts the process and waits until <c>/health/ready</c> answers 200 (it has joined the cluster by then).</summary>
    public async Task StartAsync()
    {
        // The test project builds the front door (a project reference); run it from its own output folder.
        var start = new System.Diagnostics.ProcessStartInfo("dotnet", [HostProcess.BuiltAssembly(Path.Combine("src", "FrontDoor"), "ProductEvents.FrontDoor.dll")]);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = BaseAddress.ToString().TrimEnd('/');
        start.Environment["ConnectionStrings__Postgres"] = connectionString;
        start.Environment[$"ProductEvents__Apps__{SiloProcess.AppId}__SecretKey"] = SiloProcess.SecretKey;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in Environment)
        {
            start.Environment[key] = value;
        }

        _host.Start(start);
        await _host.WaitUntilReadyAsync(new Uri(BaseAddress, "health/ready"), TimeSpan.FromSeconds(90));
    }

    /// <inheritdoc cref="HostProcess.StopAsync"/>
    public Task<int> StopAsync() => _host.StopAsync();

    public string Output() => _host.Output();

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
