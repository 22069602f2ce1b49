using YamlDotNet.RepresentationModel;

namespace ProductEvents.Testing;

/// <summary>deploy/compose.yaml as the tests read it: its services, with anchors and merge keys resolved.</summary>
public sealed class ComposeFile
{
    private ComposeFile(YamlMappingNode root)
    {
        Root = root;
        Services = [.. root.Get("services").Entries().Select(s => new ComposeService(s.Key, s.Value))];
    }

    public YamlMappingNode Root { get; }

    public IReadOnlyList<ComposeService> Services { get; }

    public ComposeService this[string name] => Services.Single(s => s.Name == name);

    public static ComposeFile Load() =>
        new(Yaml.LoadDocuments(Path.Combine(Repository.Deploy, "compose.yaml")) is [var root] ? root : throw new InvalidDataException("compose.yaml: one document expected"));
}
