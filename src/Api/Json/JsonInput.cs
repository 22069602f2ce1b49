using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;

namespace ProductEvents.Api.Json;

/// <summary>
/// The rules every JSON value taken in must meet, so that whatever is accepted can be stored by PostgreSQL and written
/// back by every listing: text is valid Unicode without NUL (PostgreSQL's text and jsonb refuse U+0000, and a lone
/// surrogate can be neither transcoded nor written), numbers fit a double and PostgreSQL's numeric, and nesting stays
/// well below the response writer's depth limit of 64.
/// </summary>
public static class JsonInput
{
    /// <summary>Levels of nesting a request body may have (the body's own object or array is level 1).</summary>
    public const int MaxBodyDepth = 32;

    /// <summary>Characters a number may have: 17 significant digits carry a double exactly; the rest is slack.</summary>
    public const int MaxNumberLength = 64;

    /// <summary>The first value of <paramref name="element"/> that breaks a rule, with its path; null when there is none.</summary>
    /// <param name="path">The element's own path, as field names are written in errors ("" for a body).</param>
    /// <param name="maxDepth">The levels of nesting allowed.</param>
    /// <param name="level">The element's own level: 1 counts a body's object as the first level; 0 counts from its values.</param>
    public static (string Path, string Reason)? FindProblem(JsonElement element, string path, int maxDepth, int level = 1)
    {
        // The path is built only for a value that breaks a rule, on the way back up: valid input allocates nothing.
        if (Check(element, level, maxDepth) is not { } problem)
        {
            return null;
        }

        var full = path;
        for (var i = problem.Segments.Count - 1; i >= 0; i--)
        {
            var segment = problem.Segments[i];
            full = segment.StartsWith('[') ? $"{Named(full)}{segment}" : full.Length == 0 ? segment : $"{full}.{segment}";
        }

        return (Named(full), problem.Reason);
    }

    /// <summary>
    /// The first broken rule among an object's own property names (text rules, a name given twice), its values left
    /// alone: for an envelope whose items are checked one by one.
    /// </summary>
    public static (string Path, string Reason)? FindNameProblem(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        HashSet<string>? names = null;
        foreach (var property in element.EnumerateObject())
        {
            if (NameProblem(property, ref names) is { } reason)
            {
                return (Named(path), reason);
            }
        }

        return null;
    }

    /// <summary>
    /// A property name that breaks a text rule, or one its object already had: which of two equal names would count
    /// differs from one reader to the next, so neither is taken.
    /// </summary>
    private static string? NameProblem(JsonProperty property, ref HashSet<string>? names)
    {
        if (StringProblem(JsonMarshal.GetRawUtf8PropertyName(property)) is { } reason)
        {
            return $"has a property name that {reason}";
        }

        names ??= new HashSet<string>(StringComparer.Ordinal);
        return names.Add(JsonStrings.Name(property)) ? null : $"has the property '{property.Name}' more than once";
    }

    /// <summary>The reason a string taken from a path, a query or a header cannot be stored; null when it can.</summary>
    public static string? TextProblem(string text)
    {
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            return NulReason;
        }

        return HasUnpairedSurrogate(text) ? "must be valid Unicode text (it holds an unpaired surrogate)" : null;
    }

    private static bool HasUnpairedSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }

    private const string NulReason = "must not contain the NUL character (U+0000)";

    private static Problem? Check(JsonElement element, int depth, int maxDepth)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                if (depth > maxDepth)
                {
                    return new Problem($"nests deeper than {maxDepth} levels");
                }

                HashSet<string>? names = null;
                foreach (var property in element.EnumerateObject())
                {
                    if (NameProblem(property, ref names) is { } nameReason)
                    {
                        return new Problem(nameReason);
                    }

                    if (Check(property.Value, depth + 1, maxDepth) is { } problem)
                    {
                        problem.Segments.Add(property.Name);
                        return problem;
                    }
                }

                return null;
            case JsonValueKind.Array:
                if (depth > maxDepth)
                {
                    return new Problem($"nests deeper than {maxDepth} levels");
                }

                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Check(item, depth + 1, maxDepth) is { } problem)
                    {
                        problem.Segments.Add($"[{index}]");
                        return problem;
                    }

                    index++;
                }

                return null;
            case JsonValueKind.String:
                return StringProblem(JsonMarshal.GetRawUtf8Value(element)[1..^1]) is { } reason ? new Problem(reason) : null;
            case JsonValueKind.Number:
                return NumberProblem(JsonMarshal.GetRawUtf8Value(element)) is { } numberReason ? new Problem(numberReason) : null;
            default:
                return null;
        }
    }

    /// <summary>Checks a string as it stands in the JSON text, escapes included (without its quotes).</summary>
    private static string? StringProblem(ReadOnlySpan<byte> raw)
    {
        if (!Utf8.IsValid(raw))
        {
            return "must be valid UTF-8 text";
        }

        // Without escapes the bytes are the value, and the reader refuses raw control characters: NUL cannot be there.
        if (!raw.Contains((byte)'\\'))
        {
            return null;
        }

        // Escapes may spell NUL or an unpaired surrogate; unescaping refuses the latter.
        string text;
        try
        {
            var quoted = new byte[raw.Length + 2];
            quoted[0] = quoted[^1] = (byte)'"';
            raw.CopyTo(quoted.AsSpan(1));
            var reader = new Utf8JsonReader(quoted);
            reader.Read();
            text = reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return "must be valid Unicode text (it holds an unpaired surrogate escape)";
        }

        return text.Contains('\0', StringComparison.Ordinal) ? NulReason : null;
    }

    private static string? NumberProblem(ReadOnlySpan<byte> raw)
    {
        if (raw.Length > MaxNumberLength)
        {
            return $"must be a number of at most {MaxNumberLength} characters";
        }

        var text = Encoding.ASCII.GetString(raw);
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            return "must be a number within ±1.7976931348623157e308";
        }

        // A number too small for a double reads as 0: refused unless it is 0.
        if (value == 0 && text.AsSpan(0, MantissaLength(text)).IndexOfAnyInRange('1', '9') >= 0)
        {
            return "must be 0 or at least 1e-307 in magnitude";
        }

        return null;
    }

    private static int MantissaLength(string number)
    {
        var e = number.AsSpan().IndexOfAny('e', 'E');
        return e < 0 ? number.Length : e;
    }

    private static string Named(string path) => path.Length == 0 ? "body" : path;

    /// <summary>A broken rule and the path to it, innermost segment first.</summary>
    private sealed class Problem(string reason)
    {
        public string Reason { get; } = reason;

        public List<string> Segments { get; } = [];
    }
}
