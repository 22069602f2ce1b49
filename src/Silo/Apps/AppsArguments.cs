namespace ProductEvents.Silo.Apps;

/// <summary>
/// The arguments after <c>apps</c>: words (<c>keys add shop backend</c>), the command's options (<c>--name</c>,
/// <c>--kind</c>, <c>--origin</c>, <c>--grace</c>, as <c>--kind public</c> or <c>--kind=public</c>), and configuration
/// overrides, which are the other <c>--Key=value</c> arguments (<c>--ConnectionStrings:Postgres=...</c>).
/// </summary>
public sealed class AppsArguments
{
    private static readonly string[] Options = ["--name", "--kind", "--origin", "--grace"];

    private AppsArguments()
    {
    }

    public List<string> Words { get; } = [];

    public Dictionary<string, List<string>> Values { get; } = new(StringComparer.Ordinal);

    public List<string> Configuration { get; } = [];

    public string? Value(string option) => Values.TryGetValue(option, out var values) ? values[^1] : null;

    public IReadOnlyList<string> All(string option) => Values.TryGetValue(option, out var values) ? values : [];

    /// <returns>The arguments, or null with <paramref name="error"/> saying what is wrong.</returns>
    public static AppsArguments? Parse(string[] args, out string? error)
    {
        var parsed = new AppsArguments();
        error = null;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                parsed.Words.Add(arg);
                continue;
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var option = equals < 0 ? arg : arg[..equals];
            if (!Options.Contains(option, StringComparer.Ordinal))
            {
                if (equals < 0)
                {
                    error = $"unknown option '{arg}' (options: {string.Join(", ", Options)}; configuration as --Key=value)";
                    return null;
                }

                parsed.Configuration.Add(arg);
                continue;
            }

            string value;
            if (equals >= 0)
            {
                value = arg[(equals + 1)..];
            }
            else if (i + 1 < args.Length)
            {
                value = args[++i];
            }
            else
            {
                error = $"option '{option}' needs a value";
                return null;
            }

            if (!parsed.Values.TryGetValue(option, out var values))
            {
                parsed.Values[option] = values = [];
            }

            values.Add(value);
        }

        return parsed;
    }
}
