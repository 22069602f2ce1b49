using ProductEvents.Storage.Migrations;

namespace ProductEvents.Silo.Migrations;

/// <summary><c>dotnet run --project src/Silo -- migrate</c>: applies the schema and exits without starting the silo.</summary>
public static class MigrateCommand
{
    public const string Name = "migrate";

    public const int Succeeded = 0;
    public const int Failed = 1;
    public const int NotConfigured = 2;

    /// <param name="args">The arguments after <c>migrate</c>; configuration overrides such as <c>--ConnectionStrings:Postgres=...</c>.</param>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        // The same configuration sources as the silo: appsettings, environment, command line.
        var configuration = WebApplication.CreateBuilder(args).Configuration;
        var connectionString = configuration.GetConnectionString("Postgres");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            await error.WriteLineAsync(
                "migrate: ConnectionStrings:Postgres is not set. Set it in appsettings, as the environment variable " +
                "ConnectionStrings__Postgres, or pass --ConnectionStrings:Postgres=\"Host=...;Database=...;Username=...\".");
            return NotConfigured;
        }

        try
        {
            var migrator = new SchemaMigrator(connectionString);
            var applied = await migrator.MigrateAsync(cancellationToken);
            foreach (var migration in applied)
            {
                await output.WriteLineAsync($"applied V{migration.Version:000}__{migration.Name}");
            }

            var newest = migrator.Migrations.Count == 0 ? 0 : migrator.Migrations[^1].Version;
            await output.WriteLineAsync(applied.Count == 0
                ? $"migrate: the database is up to date (V{newest:000})."
                : $"migrate: applied {applied.Count} migration(s); the database is at V{newest:000}.");
            return Succeeded;
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or InvalidOperationException or ArgumentException)
        {
            await error.WriteLineAsync($"migrate: failed: {ex.Message}");
            return Failed;
        }
    }
}
