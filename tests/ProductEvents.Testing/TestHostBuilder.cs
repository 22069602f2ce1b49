using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using ProductEvents.Silo.Hosting;

namespace ProductEvents.Testing;

/// <summary>
/// Builds the real single-process host (Orleans silo with the HTTP API, <see cref="ProductEventsHost"/>) for a test:
/// HTTP on a free loopback port, free Orleans ports, a cluster id of its own, quiet logs, the Development environment
/// and in-memory storage unless told otherwise. Settings given here win over these defaults.
/// </summary>
public sealed class TestHostBuilder
{
    private readonly Dictionary<string, string?> settings = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<Action<WebApplicationBuilder>> configure = [];
    private string environment = "Development";
    private string? connectionString;
    private TimeProvider? clock;
    private TimeSpan? responseTimeout;

    /// <summary>The storage the host will run on.</summary>
    public StorageMode Storage { get; private set; } = StorageMode.InMemory;

    public TestHostBuilder WithEnvironment(string name)
    {
        environment = name;
        return this;
    }

    /// <summary>Adds configuration keys (<c>ProductEvents:Apps:shop:SecretKey</c>, ...); a key given twice keeps the last value.</summary>
    public TestHostBuilder WithSettings(IEnumerable<KeyValuePair<string, string?>> values)
    {
        foreach (var (key, value) in values)
        {
            settings[key] = value;
        }

        return this;
    }

    public TestHostBuilder WithSetting(string key, string? value)
    {
        settings[key] = value;
        return this;
    }

    /// <summary>Configures an app with its keys and the page origins allowed to send with its public key.</summary>
    public TestHostBuilder WithApp(string appId, string secretKey, string? publicKey = null, params string[] allowedOrigins)
    {
        settings[$"ProductEvents:Apps:{appId}:SecretKey"] = secretKey;
        if (publicKey is not null)
        {
            settings[$"ProductEvents:Apps:{appId}:PublicKey"] = publicKey;
        }

        for (var i = 0; i < allowedOrigins.Length; i++)
        {
            settings[$"ProductEvents:Apps:{appId}:AllowedOrigins:{i.ToString(CultureInfo.InvariantCulture)}"] = allowedOrigins[i];
        }

        return this;
    }

    /// <summary>
    /// In memory (the default), or durable on a throwaway PostgreSQL that the host starts before itself and stops after
    /// itself (<see cref="TestHost.Postgres"/>).
    /// </summary>
    public TestHostBuilder WithStorage(StorageMode mode)
    {
        Storage = mode;
        connectionString = null;
        return this;
    }

    /// <summary>Durable mode on a database the test owns (the host migrates it at start-up).</summary>
    public TestHostBuilder WithPostgres(string postgresConnectionString)
    {
        Storage = StorageMode.Postgres;
        connectionString = postgresConnectionString;
        return this;
    }

    /// <summary>The clock of the silo, the API and the background services (a <c>FakeTimeProvider</c> for a test that moves time).</summary>
    public TestHostBuilder WithTimeProvider(TimeProvider timeProvider)
    {
        clock = timeProvider;
        return this;
    }

    /// <summary>How long a grain call waits for its answer, in the silo and in the API's client, instead of Orleans' 30 s.</summary>
    public TestHostBuilder WithResponseTimeout(TimeSpan timeout)
    {
        responseTimeout = timeout;
        return this;
    }

    /// <summary>Anything else (a logging provider, a service), applied after this builder's own settings.</summary>
    public TestHostBuilder Configure(Action<WebApplicationBuilder> action)
    {
        configure.Add(action);
        return this;
    }

    /// <summary>Builds the host without starting it (a test of start-up failures); it must be a database-less mode or
    /// have been given a connection string.</summary>
    public WebApplication Build()
    {
        if (Storage == StorageMode.Postgres && connectionString is null)
        {
            throw new InvalidOperationException("A throwaway PostgreSQL is started by StartAsync; call WithPostgres(connectionString) to only build.");
        }

        return Build(connectionString);
    }

    /// <summary>Starts the host (and first its throwaway PostgreSQL, if it has one) and answers it once it serves.</summary>
    public async Task<TestHost> StartAsync()
    {
        PostgresFixture? postgres = null;
        var database = connectionString;
        if (Storage == StorageMode.Postgres && database is null)
        {
            postgres = new PostgresFixture();
            await postgres.InitializeAsync();
            database = postgres.ConnectionString;
        }

        WebApplication? app = null;
        try
        {
            app = Build(database);
            await app.StartAsync();
            return new TestHost(app, Storage, postgres);
        }
        catch
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }

            if (postgres is not null)
            {
                await postgres.DisposeAsync();
            }

            throw;
        }
    }

    private WebApplication Build(string? database)
    {
        var configuration = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Orleans:SiloPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture),
            ["Orleans:GatewayPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture),
            ["Orleans:ClusterId"] = $"tests-{Guid.NewGuid():N}",

            // Empty is the embedded default, whatever the machine's environment says.
            ["ConnectionStrings:Postgres"] = database ?? "",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:ProductEvents"] = "Error",
            ["Logging:LogLevel:Orleans"] = "Error",
        };
        foreach (var (key, value) in settings)
        {
            configuration[key] = value;
        }

        return ProductEventsHost.Build(
            ["--urls=http://127.0.0.1:0", $"--environment={environment}"],
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(configuration);
                if (clock is not null)
                {
                    builder.Services.AddSingleton<TimeProvider>(clock);
                }

                if (responseTimeout is { } timeout)
                {
                    builder.Services.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = timeout);
                    builder.Services.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = timeout);
                }

                foreach (var action in configure)
                {
                    action(builder);
                }
            });
    }
}
