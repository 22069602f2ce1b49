using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace ProductEvents.Testing;

/// <summary>One service of a compose file, as much as the tests read of it.</summary>
public sealed partial class ComposeService(string name, YamlNode node)
{
    public string Name => name;

    public YamlNode Node => node;

    /// <summary>The Dockerfile it is built from (relative to the build context); null for an image used as it is.</summary>
    public string? Dockerfile => node.Text("build", "dockerfile");

    /// <summary>Its environment as written: <c>${...}</c> not substituted (see <see cref="Substitute"/>).</summary>
    public IReadOnlyDictionary<string, string> Environment =>
        node.Get("environment") is YamlSequenceNode list
            ? list.Children.Select(i => ((YamlScalarNode)i).Value!.Split('=', 2)).ToDictionary(p => p[0], p => p.ElementAtOrDefault(1) ?? "", StringComparer.Ordinal)
            : node.Get("environment").Entries().ToDictionary(e => e.Key, e => ((YamlScalarNode)e.Value).Value ?? "", StringComparer.Ordinal);

    /// <summary>The published ports as written (<c>[host-address:]host-port:container-port</c>).</summary>
    public IReadOnlyList<string> Ports => [.. node.Get("ports").Items().Select(p => ((YamlScalarNode)p).Value!)];

    /// <summary>The services it starts after, and on what condition (<c>service_started</c> in the short form).</summary>
    public IReadOnlyList<(string Service, string Condition)> DependsOn =>
        node.Get("depends_on") is YamlSequenceNode names
            ? [.. names.Children.Select(n => (((YamlScalarNode)n).Value!, "service_started"))]
            : [.. node.Get("depends_on").Entries().Select(d => (d.Key, d.Value.Text("condition") ?? "service_started"))];

    /// <summary>Its fixed address on <paramref name="network"/>, if it has one.</summary>
    public string? Address(string network) => node.Text("networks", network, "ipv4_address");

    /// <summary>
    /// Substitutes variables the way compose does: <c>$$</c>, <c>$VAR</c>, <c>${VAR}</c>, <c>${VAR:-default}</c>,
    /// <c>${VAR-default}</c>, <c>${VAR:+other}</c>, <c>${VAR+other}</c>, and <c>${VAR:?message}</c> / <c>${VAR?message}</c>,
    /// which fail with the message when the variable is unset (or, with the colon, empty).
    /// </summary>
    public static string Substitute(string value, IReadOnlyDictionary<string, string> variables) =>
        Variable().Replace(value, m =>
        {
            if (m.Groups["escaped"].Success)
            {
                return "$";
            }

            var variable = m.Groups["name"].Success ? m.Groups["name"].Value : m.Groups["bare"].Value;
            var set = variables.TryGetValue(variable, out var current);
            var operation = m.Groups["operation"].Value;
            var given = operation.StartsWith(':') ? !string.IsNullOrEmpty(current) : set;
            return operation.TrimStart(':') switch
            {
                "" => current ?? "",
                "-" => given ? current! : m.Groups["argument"].Value,
                "+" => given ? m.Groups["argument"].Value : "",
                "?" => given ? current! : throw new InvalidOperationException($"{variable}: {m.Groups["argument"].Value}"),
                _ => throw new InvalidOperationException($"Unexpected substitution {m.Value}"),
            };
        });

    [GeneratedRegex(@"\$(?:(?<escaped>\$)|\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?<operation>:?[-+?])(?<argument>[^}]*))?\}|(?<bare>[A-Za-z_][A-Za-z0-9_]*))")]
    private static partial Regex Variable();
}
