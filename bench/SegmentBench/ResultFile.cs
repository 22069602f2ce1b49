using System.Globalization;

namespace ProductEvents.Bench.SegmentBench;

/// <summary>
/// The figures of a run as <c>key=value</c> lines in one file: each phase runs as its own process (the script restarts
/// the silo between phases), adds its figures, and <c>report</c> turns the file into the table.
/// </summary>
public sealed class ResultFile(string path)
{
    private readonly Dictionary<string, string> _values = Load(path);

    public string? Get(string key) => _values.TryGetValue(key, out var value) ? value : null;

    public double? Number(string key) =>
        Get(key) is "inf" ? double.PositiveInfinity
        : Get(key) is { } text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && !double.IsNaN(value)
            ? value
            : null;

    public void Set(string key, double value) =>
        Set(key, double.IsPositiveInfinity(value) ? "inf" : value.ToString("0.###", CultureInfo.InvariantCulture));

    public void Set(string key, string value)
    {
        _values[key] = value;
        File.WriteAllLines(path, _values.Select(kv => $"{kv.Key}={kv.Value}"));
        Console.Error.WriteLine($"[segment-bench] {key}={value}");
    }

    private static Dictionary<string, string> Load(string path)
    {
        var values = new Dictionary<string, string>();
        if (File.Exists(path))
        {
            foreach (var line in File.ReadAllLines(path))
            {
                var eq = line.IndexOf('=');
                if (eq > 0)
                {
                    values[line[..eq]] = line[(eq + 1)..];
                }
            }
        }

        return values;
    }
}
