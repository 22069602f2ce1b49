using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;

namespace ProductEvents.Testing;

/// <summary>
/// A throwaway PostgreSQL 15 server: its own data folder under the temp folder, listening on a free loopback port,
/// trust authentication for the <c>postgres</c> user. It can be stopped, crashed and started again on the same port
/// and data. Disposal stops it and deletes the folder.
/// </summary>
/// <remarks>
/// initdb refuses to run as root, so as root the server runs as the <c>postgres</c> user, which owns the folder.
/// The binaries come from <see cref="DefaultBinDirectory"/> or the <c>PRODUCTEVENTS_PG_BIN</c> environment variable.
/// </remarks>
public sealed partial class PostgresServer : IAsyncDisposable
{
    public const string DefaultBinDirectory = "/usr/lib/postgresql/15/bin";
    public const string BinDirectoryVariable = "PRODUCTEVENTS_PG_BIN";
    public const string SuperUser = "postgres";

    private const string ServiceUser = "postgres";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(90);

    private readonly string binDirectory;
    private readonly bool runAsServiceUser;
    private readonly SemaphoreSlim gate = new(1, 1);
    private bool initialised;
    private bool disposed;

    private PostgresServer(string binDirectory, string rootDirectory, bool runAsServiceUser)
    {
        this.binDirectory = binDirectory;
        this.runAsServiceUser = runAsServiceUser;
        RootDirectory = rootDirectory;
        Port = FreePorts.Next();
    }

    /// <summary>The folder holding the data folder, the socket and the server log.</summary>
    public string RootDirectory { get; }

    public string DataDirectory => Path.Combine(RootDirectory, "data");

    public string LogFile => Path.Combine(RootDirectory, "postgres.log");

    /// <summary>The loopback port; it stays the same across stops and restarts.</summary>
    public int Port { get; private set; }

    public bool IsRunning { get; private set; }

    /// <summary>Creates the server's folder (nothing runs yet); fails loudly when PostgreSQL is not installed.</summary>
    /// <param name="binDirectory">The folder of initdb and pg_ctl; by default <c>PRODUCTEVENTS_PG_BIN</c>, else <see cref="DefaultBinDirectory"/>.</param>
    public static PostgresServer Create(string? binDirectory = null)
    {
        var bin = binDirectory
            ?? (Environment.GetEnvironmentVariable(BinDirectoryVariable) is { Length: > 0 } configured ? configured : DefaultBinDirectory);
        foreach (var tool in new[] { "initdb", "pg_ctl", "postgres" })
        {
            if (!File.Exists(Path.Combine(bin, tool)))
            {
                throw new InvalidOperationException(
                    $"PostgreSQL binaries not found: {Path.Combine(bin, tool)} does not exist. The tests that need PostgreSQL start " +
                    $"their own server from PostgreSQL 15 binaries: install them (Debian: apt-get install postgresql-15) or point " +
                    $"{BinDirectoryVariable} at the folder holding initdb and pg_ctl.");
            }
        }

        var asServiceUser = Environment.UserName == "root";
        var root = Directory.CreateTempSubdirectory("productevents-pg-").FullName;
        if (asServiceUser)
        {
            using var chown = Process.Start(new ProcessStartInfo("chown", [$"{ServiceUser}:", root]) { RedirectStandardError = true })
                ?? throw new InvalidOperationException("chown could not be started.");
            var error = chown.StandardError.ReadToEnd();
            chown.WaitForExit();
            if (chown.ExitCode != 0)
            {
                Directory.Delete(root, recursive: true);
                throw new InvalidOperationException(
                    $"Running as root, PostgreSQL must run as the '{ServiceUser}' user, but the folder could not be given to it " +
                    $"(chown exited with {chown.ExitCode}: {error.Trim()}). Create the user (apt-get install postgresql-15 does) or run the tests as a normal user.");
            }
        }

        return new PostgresServer(bin, root, asServiceUser);
    }

    /// <summary>Creates and starts a server.</summary>
    public static async Task<PostgresServer> StartNewAsync(CancellationToken cancellationToken = default)
    {
        var server = Create();
        try
        {
            await server.StartAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>A connection string for <paramref name="database"/> as the superuser.</summary>
    public string ConnectionString(string database = "postgres") => new NpgsqlConnectionStringBuilder
    {
        Host = IPAddress.Loopback.ToString(),
        Port = Port,
        Username = SuperUser,
        Database = database,
        IncludeErrorDetail = true,
    }.ConnectionString;

    /// <summary>Initialises the data folder on first use, then starts the server and waits until it accepts connections.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (IsRunning)
            {
                return;
            }

            if (!initialised)
            {
                await InitialiseAsync(cancellationToken);
                initialised = true;
                await StartWithFreshPortAsync(cancellationToken);
            }
            else
            {
                await PgCtlAsync(["start", "-w", "-t", "60", "-D", DataDirectory, "-l", LogFile], cancellationToken);
            }

            IsRunning = true;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>A clean shutdown (<c>pg_ctl stop -m fast</c>): open connections are closed, a checkpoint is written.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => StopAsync("fast", cancellationToken);

    /// <summary>
    /// Stops the server the way a crash would (<c>pg_ctl stop -m immediate</c>): no checkpoint, connections cut;
    /// the next start runs crash recovery from the write-ahead log.
    /// </summary>
    public Task KillAsync(CancellationToken cancellationToken = default) => StopAsync("immediate", cancellationToken);

    /// <summary>Stops (cleanly) and starts again on the same port and data.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync(cancellationToken);
        await StartAsync(cancellationToken);
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        if (!DatabaseName().IsMatch(name))
        {
            throw new ArgumentException($"'{name}' is not a plain database name (lower-case letters, digits, underscores; at most 63).", nameof(name));
        }

        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return ConnectionString(name);
    }

    /// <summary>
    /// What the official image does with POSTGRES_USER, POSTGRES_PASSWORD and POSTGRES_DB on its first start: a superuser
    /// <paramref name="role"/> that logs in with <paramref name="password"/> and owns a new <paramref name="database"/>.
    /// That role must give its password over TCP (scram-sha-256; others keep trust): returns once a wrong one is refused.
    /// </summary>
    /// <returns>The connection string of that role and database.</returns>
    public async Task<string> CreateOwnerAsync(string role, string password, string database, CancellationToken cancellationToken = default)
    {
        foreach (var name in new[] { role, database })
        {
            if (!DatabaseName().IsMatch(name))
            {
                throw new ArgumentException($"'{name}' is not a plain name (lower-case letters, digits, underscores; at most 63).", nameof(role));
            }
        }

        await using (var connection = new NpgsqlConnection(ConnectionString()))
        {
            await connection.OpenAsync(cancellationToken);
            var literal = password.Replace("'", "''", StringComparison.Ordinal);
            await using var createRole = new NpgsqlCommand($"CREATE ROLE \"{role}\" LOGIN SUPERUSER PASSWORD '{literal}'", connection);
            await createRole.ExecuteNonQueryAsync(cancellationToken);
            await using var createDatabase = new NpgsqlCommand($"CREATE DATABASE \"{database}\" OWNER \"{role}\"", connection);
            await createDatabase.ExecuteNonQueryAsync(cancellationToken);
        }

        var rules = Path.Combine(DataDirectory, "pg_hba.conf");
        var trust = await File.ReadAllTextAsync(rules, cancellationToken);
        await File.WriteAllTextAsync(rules, $"host all {role} 127.0.0.1/32 scram-sha-256\n{trust}", cancellationToken);
        await PgCtlAsync(["reload", "-D", DataDirectory], cancellationToken);

        var owner = new NpgsqlConnectionStringBuilder
        {
            Host = IPAddress.Loopback.ToString(),
            Port = Port,
            Username = role,
            Password = password,
            Database = database,
        };
        var wrong = new NpgsqlConnectionStringBuilder(owner.ConnectionString) { Password = password + "-wrong", Pooling = false };

        // A reload is a signal: the server reads the rules again a moment later.
        var deadline = DateTime.UtcNow + CommandTimeout;
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(wrong.ConnectionString);
                await connection.OpenAsync(cancellationToken);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidPassword)
            {
                return owner.ConnectionString;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"{role} still logs in without its password after the rules were reloaded.\n{ReadLogTail()}");
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>The last lines of the server log, for failure messages.</summary>
    public string ReadLogTail(int lines = 40)
    {
        try
        {
            return string.Join('\n', File.ReadLines(LogFile).TakeLast(lines));
        }
        catch (IOException)
        {
            return "(no server log)";
        }
    }

    public async ValueTask DisposeAsync()
    {
        await gate.WaitAsync();
        try
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            NpgsqlConnection.ClearAllPools();
            if (IsRunning)
            {
                try
                {
                    await PgCtlAsync(["stop", "-w", "-t", "60", "-m", "immediate", "-D", DataDirectory], CancellationToken.None);
                }
                catch (InvalidOperationException)
                {
                    // Deleting the folder below still matters; a server that cannot be stopped has crashed anyway.
                }

                IsRunning = false;
            }

            Directory.Delete(RootDirectory, recursive: true);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task StopAsync(string mode, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (!IsRunning)
            {
                return;
            }

            // Pooled connections to a stopped server are dead; later opens must not pick them up.
            NpgsqlConnection.ClearAllPools();
            await PgCtlAsync(["stop", "-w", "-t", "60", "-m", mode, "-D", DataDirectory], cancellationToken);
            IsRunning = false;
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task InitialiseAsync(CancellationToken cancellationToken)
    {
        await RunToolAsync("initdb", ["-D", DataDirectory, "-U", SuperUser, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-instructions"], cancellationToken);
    }

    // Another process may take the port between choosing it and binding it: then choose again.
    private async Task StartWithFreshPortAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await WriteConfigurationAsync(cancellationToken);
            try
            {
                await PgCtlAsync(["start", "-w", "-t", "60", "-D", DataDirectory, "-l", LogFile], cancellationToken);
                return;
            }
            catch (InvalidOperationException) when (attempt < 5 && ReadLogTail().Contains("could not bind", StringComparison.Ordinal))
            {
                Port = FreePorts.Next();
            }
        }
    }

    private async Task WriteConfigurationAsync(CancellationToken cancellationToken)
    {
        // postgresql.auto.conf is read last, so these win over postgresql.conf; rewriting it keeps the owner.
        var settings = new StringBuilder()
            .AppendLine("# Written by the test server.")
            .AppendLine(CultureInfo.InvariantCulture, $"port = {Port}")
            .AppendLine("listen_addresses = '127.0.0.1'")
            .AppendLine(CultureInfo.InvariantCulture, $"unix_socket_directories = '{RootDirectory}'")
            .AppendLine("max_connections = 200")
            .AppendLine("shared_buffers = '32MB'")
            .AppendLine("fsync = on")
            .AppendLine("synchronous_commit = on")
            .AppendLine("full_page_writes = on")
            .AppendLine("log_min_messages = warning")
            .AppendLine("log_line_prefix = '%m [%p] '");
        await File.WriteAllTextAsync(Path.Combine(DataDirectory, "postgresql.auto.conf"), settings.ToString(), cancellationToken);
    }

    private Task PgCtlAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        RunToolAsync("pg_ctl", arguments, cancellationToken);

    private async Task RunToolAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var path = Path.Combine(binDirectory, tool);
        var (fileName, fullArguments) = runAsServiceUser
            ? ("runuser", (IReadOnlyList<string>)["-u", ServiceUser, "--", path, .. arguments])
            : (path, arguments);
        var (exitCode, output) = await RunAsync(fileName, fullArguments, RootDirectory, cancellationToken);
        if (exitCode != 0)
        {
            throw new InvalidOperationException(
                $"{tool} {string.Join(' ', arguments)} exited with {exitCode}:\n{output.Trim()}\n--- server log ({LogFile}) ---\n{ReadLogTail()}");
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(
        string fileName, IReadOnlyList<string> arguments, string workingDirectory, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} could not be started.");
        process.StandardInput.Close();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CommandTimeout);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await stdout + await stderr);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} did not finish within {CommandTimeout.TotalSeconds:0} s.");
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex DatabaseName();
}
