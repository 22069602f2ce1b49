using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ProductEvents.Storage.Migrations;

/// <summary>
/// Applies the schema migrations when the host starts, before the Orleans silo (registered after this) reads its
/// membership table. Several silos may start at once: the migrator serialises them with an advisory lock.
/// </summary>
public sealed class SchemaMigrationService(string connectionString, ILogger<SchemaMigrator> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var applied = await new SchemaMigrator(connectionString, logger: logger).MigrateAsync(cancellationToken);
        logger.LogInformation("Schema migrations applied at start-up: {Applied}",
            applied.Count == 0 ? "none, the database is up to date" : string.Join(", ", applied.Select(m => m.Name)));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
