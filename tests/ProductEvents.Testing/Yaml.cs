using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ProductEvents.Testing;

/// <summary>Reading YAML documents (anchors and merge keys resolved) and walking them by key.</summary>
public static class Yaml
{
    public static IReadOnlyList<YamlMappingNode> LoadDocuments(string path)
    {
        using var reader = new StringReader(File.ReadAllText(path));
        var stream = new YamlStream();
        stream.Load(new MergingParser(new Parser(reader)));
        return stream.Documents
            .Select(d => d.RootNode as YamlMappingNode ?? throw new InvalidDataException($"{path}: a document is not a mapping"))
            .ToList();
    }

    public static YamlNode? Get(this YamlNode? node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static YamlNode? At(this YamlNode? node, params string[] path) => path.Aggregate(node, (n, key) => n.Get(key));

    public static string? Text(this YamlNode? node, params string[] path) => (node.At(path) as YamlScalarNode)?.Value;

    public static IEnumerable<YamlNode> Items(this YamlNode? node) => node is YamlSequenceNode sequence ? sequence.Children : [];

    public static IEnumerable<(string Key, YamlNode Value)> Entries(this YamlNode? node) =>
        node is YamlMappingNode map ? map.Children.Select(c => (((YamlScalarNode)c.Key).Value!, c.Value)) : [];
}
