using System.Text;
using ProductEvents.Fuzz.Tests.Generators;

namespace ProductEvents.Fuzz.Tests.Support;

/// <summary>Failures counted by property over a run, with the first input that broke each.</summary>
public sealed class FuzzSurvey(FuzzEndpoint endpoint, ulong seed)
{
    private readonly SortedDictionary<string, (int Count, string Example, string Detail)> byProperty = new(StringComparer.Ordinal);

    public int Cases { get; private set; }

    public int FailingCases { get; private set; }

    public void Record(FuzzRequest request, string caseSeed, IReadOnlyList<Violation> violations)
    {
        Cases++;
        if (violations.Count == 0)
        {
            return;
        }

        FailingCases++;
        foreach (var group in violations.GroupBy(v => v.Property))
        {
            byProperty[group.Key] = byProperty.TryGetValue(group.Key, out var seen)
                ? seen with { Count = seen.Count + 1 }
                : (1, $"{request} (case seed {caseSeed})", group.First().Detail);
        }
    }

    public string Summary() => $"FUZZ endpoint={endpoint} cases={Cases} failing={FailingCases} seed={seed}";

    public string Table()
    {
        var table = new StringBuilder(Summary()).AppendLine();
        foreach (var (property, (count, example, detail)) in byProperty)
        {
            table.AppendLine($"  {endpoint} | {property} | {count} cases")
                .AppendLine($"    example: {Cut(example, 700)}")
                .AppendLine($"    saw: {Cut(detail, 400)}");
        }

        return table.ToString();
    }

    private static string Cut(string text, int length) => text.Length <= length ? text : text[..length] + "...";
}
