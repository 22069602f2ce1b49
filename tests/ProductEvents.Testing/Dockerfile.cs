using System.Text.Json;
using System.Text.RegularExpressions;

namespace ProductEvents.Testing;

/// <summary>The instructions of one Dockerfile, as much as the tests check: stages, ENV, EXPOSE, USER, HEALTHCHECK, ENTRYPOINT.</summary>
public sealed partial class Dockerfile
{
    private Dockerfile(IReadOnlyList<(string Instruction, string Arguments)> instructions)
    {
        Instructions = instructions;
        var final = instructions.Select((i, n) => (i, n)).Last(x => x.i.Instruction == "FROM").n;
        Stages = instructions.Count(i => i.Instruction == "FROM");
        var runtime = instructions.Skip(final).ToList();
        Environment = runtime.Where(i => i.Instruction == "ENV").SelectMany(i => EnvPair().Matches(i.Arguments))
            .ToDictionary(m => m.Groups["name"].Value, m => m.Groups["value"].Value, StringComparer.Ordinal);
        Exposed = runtime.Where(i => i.Instruction == "EXPOSE").SelectMany(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(p => int.Parse(p.Split('/')[0], System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        User = runtime.LastOrDefault(i => i.Instruction == "USER").Arguments;
        var healthCheck = runtime.LastOrDefault(i => i.Instruction == "HEALTHCHECK").Arguments ?? "";
        HealthCheck = healthCheck.Contains("CMD", StringComparison.Ordinal) ? Exec(healthCheck[(healthCheck.IndexOf("CMD", StringComparison.Ordinal) + 3)..]) : [];
        EntryPoint = Exec(runtime.LastOrDefault(i => i.Instruction == "ENTRYPOINT").Arguments ?? "[]");
    }

    public IReadOnlyList<(string Instruction, string Arguments)> Instructions { get; }

    public int Stages { get; }

    /// <summary>The final (runtime) stage's environment.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    public IReadOnlySet<int> Exposed { get; }

    public string? User { get; }

    public IReadOnlyList<string> HealthCheck { get; }

    public IReadOnlyList<string> EntryPoint { get; }

    /// <summary>The project the build stage publishes (<c>RUN dotnet publish path/to/X.csproj</c>), relative to the repository.</summary>
    public string PublishedProject =>
        Instructions.Single(i => i.Instruction == "RUN" && i.Arguments.Contains("dotnet publish", StringComparison.Ordinal))
            .Arguments.Split(' ').Single(a => a.EndsWith(".csproj", StringComparison.Ordinal));

    /// <summary>The port of <c>ASPNETCORE_URLS</c> in the image.</summary>
    public int HttpPort => new Uri(Environment["ASPNETCORE_URLS"].Replace("+", "localhost", StringComparison.Ordinal)).Port;

    /// <summary>One of deploy/docker/.</summary>
    public static Dockerfile Load(string name) => Read(Path.Combine(Repository.Deploy, "docker", name));

    public static Dockerfile Read(string path)
    {
        var instructions = new List<(string, string)>();
        var pending = "";
        foreach (var raw in File.ReadAllText(path).Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || line.Length == 0)
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                pending += line[..^1] + " ";
                continue;
            }

            line = pending + line;
            pending = "";
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            instructions.Add((line[..space].ToUpperInvariant(), line[(space + 1)..].Trim()));
        }

        return new Dockerfile(instructions);
    }

    private static string[] Exec(string json) => JsonSerializer.Deserialize<string[]>(json.Trim()) ?? [];

    [GeneratedRegex(@"(?<name>[A-Za-z_][A-Za-z0-9_]*)=(?<value>\S*)")]
    private static partial Regex EnvPair();
}
