using System.Globalization;
using Npgsql;
using ProductEvents.Api.Cors;
using ProductEvents.Storage.Apps;
using ProductEvents.Storage.Audit;
using ProductEvents.Storage.Migrations;

namespace ProductEvents.Silo.Apps;

/// <summary>
/// <c>dotnet run --project src/Silo -- apps ...</c>: stored apps and keys in the durable mode's PostgreSQL, without
/// starting the silo. Running silos take a change within <see cref="Api.Apps.StoredAppKeys.PollInterval"/> (plus a
/// reload). A new key is printed once, alone on standard output; only its hash is stored. The audit log names the
/// operating system's user (<c>cli:&lt;user&gt;</c>).
/// </summary>
public static class AppsCommand
{
    public const string Name = "apps";

    public const int Succeeded = 0;

    /// <summary>The database failed, or refused the change (an app that exists, a key that does not, a limit).</summary>
    public const int Failed = 1;

    /// <summary>No <c>ConnectionStrings:Postgres</c>, or a database without this build's migrations.</summary>
    public const int NotConfigured = 2;

    public const int InvalidArguments = 3;

    public const string Usage = """
        usage: apps create <appId> [--name <name>] [--origin <origin>]...
               apps list
               apps keys add <appId> <keyName> --kind secret|public
               apps keys list <appId>
               apps keys rotate <appId> <keyName> [--grace <seconds>]
               apps keys revoke <appId> <keyName>
        configuration as for the silo: appsettings, ConnectionStrings__Postgres, or --ConnectionStrings:Postgres="..."
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        if (AppsArguments.Parse(args, out var problem) is not { } parsed)
        {
            return await RefuseAsync(error, problem!);
        }

        if (parsed.Words is not (["create", _] or ["list"] or ["keys", "add" or "rotate" or "revoke", _, _] or ["keys", "list", _]))
        {
            return await RefuseAsync(error, parsed.Words.Count == 0 ? "no command given" : $"unknown command '{string.Join(' ', parsed.Words)}'");
        }

        var configuration = WebApplication.CreateBuilder([.. parsed.Configuration]).Configuration;
        var connectionString = configuration.GetConnectionString("Postgres");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            await error.WriteLineAsync(
                $"{Name}: ConnectionStrings:Postgres is not set: stored apps live in the durable mode's PostgreSQL. Set it in appsettings, " +
                "as the environment variable ConnectionStrings__Postgres, or pass --ConnectionStrings:Postgres=\"Host=...;Database=...;Username=...\". " +
                "(Apps of the embedded default are configured: ProductEvents:Apps:<appId>:SecretKey.)");
            return NotConfigured;
        }

        try
        {
            if (await MissingMigrationsAsync(connectionString, cancellationToken) is { } missing)
            {
                await error.WriteLineAsync($"{Name}: the database lacks migration(s) {missing} of this build; run `dotnet run --project src/Silo -- migrate` first (a silo also applies them when it starts).");
                return NotConfigured;
            }

            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            var command = new Run(new PostgresAppStore(dataSource, TimeProvider.System), TimeProvider.System, parsed, output, error, AuditActors.Cli(Environment.UserName), cancellationToken);
            return await command.ExecuteAsync();
        }
        catch (NpgsqlException ex)
        {
            await error.WriteLineAsync($"{Name}: failed: {ex.Message}");
            return Failed;
        }
    }

    private static async Task<string?> MissingMigrationsAsync(string connectionString, CancellationToken cancellationToken)
    {
        var migrator = new SchemaMigrator(connectionString);
        var applied = (await migrator.ReadAppliedAsync(cancellationToken)).Select(m => m.Version).ToHashSet();
        var missing = migrator.Migrations.Where(m => !applied.Contains(m.Version)).Select(m => $"V{m.Version:000}").ToList();
        return missing.Count == 0 ? null : string.Join(", ", missing);
    }

    private static async Task<int> RefuseAsync(TextWriter error, string problem)
    {
        await error.WriteLineAsync($"{Name}: {problem}");
        await error.WriteLineAsync(Usage);
        return InvalidArguments;
    }

    private sealed class Run(IAppStore store, TimeProvider clock, AppsArguments args, TextWriter output, TextWriter error, string actor, CancellationToken cancellationToken)
    {
        public Task<int> ExecuteAsync() => args.Words switch
        {
            ["create", var appId] => CreateAsync(appId),
            ["list"] => ListAsync(),
            ["keys", "add", var appId, var keyName] => AddKeyAsync(appId, keyName),
            ["keys", "list", var appId] => ListKeysAsync(appId),
            ["keys", "rotate", var appId, var keyName] => RotateKeyAsync(appId, keyName),
            ["keys", "revoke", var appId, var keyName] => RevokeKeyAsync(appId, keyName),
            _ => throw new InvalidOperationException("The command's words were checked before."),
        };

        private async Task<int> CreateAsync(string appId)
        {
            if (!AppLimits.IsValidAppId(appId))
            {
                return await RefuseAsync(error, $"app id '{appId}' {AppLimits.AppIdRule}");
            }

            var name = args.Value("--name") ?? appId;
            if (string.IsNullOrWhiteSpace(name) || name.Length > AppLimits.MaxAppNameLength)
            {
                return await RefuseAsync(error, $"--name must be 1 to {AppLimits.MaxAppNameLength} characters");
            }

            var origins = args.All("--origin");
            if (origins.Any(o => !AppOrigins.IsValid(o)) || origins.Count > AppLimits.MaxAllowedOrigins)
            {
                return await RefuseAsync(error, $"--origin must be '*' or an origin such as 'https://shop.example' (at most {AppLimits.MaxAllowedOrigins})");
            }

            if (await store.CreateAppAsync(appId, name, [.. origins.Select(AppOrigins.Normalize)], actor, cancellationToken) is not { } app)
            {
                await error.WriteLineAsync($"{Name}: a stored app '{appId}' exists already.");
                return Failed;
            }

            await output.WriteLineAsync($"created app '{app.Id}' ({app.Name}); add a key: apps keys add {app.Id} <keyName> --kind secret");
            return Succeeded;
        }

        private async Task<int> ListAsync()
        {
            var apps = await store.ListAppsAsync(cancellationToken);
            foreach (var app in apps)
            {
                var origins = app.AllowedOrigins.Count == 0 ? "-" : string.Join(",", app.AllowedOrigins);
                await output.WriteLineAsync($"{app.Id}\t{app.Name}\tcreated {Time(app.CreatedAt)}\torigins {origins}");
            }

            await error.WriteLineAsync($"{apps.Count} stored app(s); apps of configuration are not listed.");
            return Succeeded;
        }

        private async Task<int> AddKeyAsync(string appId, string keyName)
        {
            if (!AppLimits.IsValidKeyName(keyName))
            {
                return await RefuseAsync(error, $"key name '{keyName}' {AppLimits.KeyNameRule}");
            }

            if (!AppKeyKinds.TryParse(args.Value("--kind"), out var kind))
            {
                return await RefuseAsync(error, "--kind must be 'secret' (the whole API, for servers) or 'public' (events and identify, for shop pages)");
            }

            var text = AppKeySecrets.Generate(kind);
            var result = await store.AddKeyAsync(appId, keyName, kind, AppKeySecrets.Hash(text), actor, cancellationToken);
            if (result.Status != KeyWriteStatus.Done)
            {
                return await KeyRefusedAsync(result.Status, appId, keyName);
            }

            await output.WriteLineAsync(text);
            await error.WriteLineAsync($"{Name}: added {AppKeyKinds.Name(kind)} key '{keyName}' to app '{appId}'. This is the only time it is shown: only its hash is stored.");
            return Succeeded;
        }

        private async Task<int> ListKeysAsync(string appId)
        {
            if (await store.ListKeysAsync(appId, cancellationToken) is not { } keys)
            {
                return await KeyRefusedAsync(KeyWriteStatus.AppNotFound, appId, "");
            }

            var now = clock.GetUtcNow();
            foreach (var key in keys)
            {
                var status = key.RevokedAt is null ? "active" : key.WorksAt(now) ? $"expiring {Time(key.RevokedAt.Value)}" : $"revoked {Time(key.RevokedAt.Value)}";
                var used = key.LastUsedAt is { } at ? Time(at) : "never";
                await output.WriteLineAsync($"{key.Name}\t{AppKeyKinds.Name(key.Kind)}\t{status}\tcreated {Time(key.CreatedAt)}\tlast used {used}");
            }

            return Succeeded;
        }

        private async Task<int> RotateKeyAsync(string appId, string keyName)
        {
            var grace = TimeSpan.Zero;
            if (args.Value("--grace") is { } graceText)
            {
                if (!int.TryParse(graceText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > AppLimits.MaxRotationGrace.TotalSeconds)
                {
                    return await RefuseAsync(error, $"--grace must be whole seconds from 0 to {AppLimits.MaxRotationGrace.TotalSeconds:0} (7 days)");
                }

                grace = TimeSpan.FromSeconds(seconds);
            }

            string? text = null;
            var result = await store.RotateKeyAsync(appId, keyName, kind => AppKeySecrets.Hash(text = AppKeySecrets.Generate(kind)), grace, actor, cancellationToken);
            if (result.Key is not { } added)
            {
                return await KeyRefusedAsync(result.Status, appId, keyName);
            }

            await output.WriteLineAsync(text);
            await error.WriteLineAsync(
                $"{Name}: rotated key '{keyName}' of app '{appId}'; the old key {(grace == TimeSpan.Zero ? "is revoked" : $"works until {Time(added.CreatedAt + grace)}")}. " +
                "This is the only time the new key is shown.");
            return Succeeded;
        }

        private async Task<int> RevokeKeyAsync(string appId, string keyName)
        {
            var result = await store.RevokeKeyAsync(appId, keyName, actor, cancellationToken);
            if (result.Status != KeyWriteStatus.Done)
            {
                return await KeyRefusedAsync(result.Status, appId, keyName);
            }

            await output.WriteLineAsync($"revoked key '{keyName}' of app '{appId}'; running silos refuse it within seconds.");
            return Succeeded;
        }

        private async Task<int> KeyRefusedAsync(KeyWriteStatus status, string appId, string keyName)
        {
            await error.WriteLineAsync(status switch
            {
                KeyWriteStatus.AppNotFound => $"{Name}: no stored app '{appId}' (create it: apps create {appId}).",
                KeyWriteStatus.KeyNotFound => $"{Name}: no working key '{keyName}' in app '{appId}'.",
                KeyWriteStatus.NameTaken => $"{Name}: app '{appId}' has a key named '{keyName}' already; rotate it, revoke it, or choose another name.",
                _ => $"{Name}: app '{appId}' has {AppLimits.MaxLiveKeysPerApp} keys that are not revoked, the most it may have; revoke one first.",
            });
            return Failed;
        }

        private static string Time(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }
}
