using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;

namespace ProductEvents.Testing;

/// <summary>A started host of <see cref="TestHostBuilder"/>; disposing it stops the host, then its throwaway PostgreSQL.</summary>
public sealed class TestHost : IAsyncDisposable
{
    private readonly PostgresFixture? postgres;

    internal TestHost(WebApplication app, StorageMode storage, PostgresFixture? postgres)
    {
        App = app;
        Storage = storage;
        this.postgres = postgres;
        Address = new Uri(app.Urls.Single());
    }

    public WebApplication App { get; }

    public IServiceProvider Services => App.Services;

    /// <summary>The loopback address the host listens on.</summary>
    public Uri Address { get; }

    public StorageMode Storage { get; }

    /// <summary>The throwaway PostgreSQL the host runs on, when it started one.</summary>
    public PostgresFixture Postgres => postgres ?? throw new InvalidOperationException("This host has no PostgreSQL of its own.");

    /// <summary>A client of the host that sends <c>Authorization: {scheme} {key}</c>, or no key when null.</summary>
    public HttpClient CreateClient(string? key = null, string scheme = "Token", TimeSpan? timeout = null)
    {
        var http = new HttpClient { BaseAddress = Address, Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(scheme, key);
        }

        return http;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }
        finally
        {
            if (postgres is not null)
            {
                await postgres.DisposeAsync();
            }
        }
    }
}
