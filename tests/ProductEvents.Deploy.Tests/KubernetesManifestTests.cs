using System.Globalization;
using Orleans.Hosting.Kubernetes;
using ProductEvents.Silo.Hosting;
using YamlDotNet.RepresentationModel;

namespace ProductEvents.Deploy.Tests;

/// <summary>deploy/kubernetes: every manifest parsed and checked against the images and the code.</summary>
public sealed class KubernetesManifestTests
{
    private static readonly string Folder = Path.Combine(Repository.Deploy, "kubernetes");

    private static readonly IReadOnlyList<(string File, YamlMappingNode Document)> Documents = Directory.GetFiles(Folder, "*.yaml")
        .Order(StringComparer.Ordinal)
        .SelectMany(file => Yaml.LoadDocuments(file).Select(document => (Path.GetFileName(file), document)))
        .ToList();

    private static IEnumerable<YamlMappingNode> OfKind(string kind) =>
        Documents.Where(d => d.Document.Text("kind") == kind).Select(d => d.Document);

    private static IEnumerable<(string Name, YamlNode Pod, YamlNode Container, Role Role)> Containers() =>
        OfKind("Deployment").SelectMany(deployment => deployment.At("spec", "template", "spec", "containers").Items().Select(container =>
            (deployment.Text("metadata", "name")!, deployment.At("spec", "template")!, container,
             container.Text("image")!.Contains("silo", StringComparison.Ordinal) ? Role.Silo : Role.FrontDoor)));

    /// <summary>Every variable a container gets: its own env (value or source) and the keys of the ConfigMaps and Secrets it takes whole.</summary>
    private static Dictionary<string, YamlNode> Environment(YamlNode container)
    {
        var variables = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var source in container.Get("envFrom").Items())
        {
            var (kind, reference) = source.Get("configMapRef") is { } map ? ("ConfigMap", map) : ("Secret", source.Get("secretRef")!);
            var named = Assert.Single(OfKind(kind), d => d.Text("metadata", "name") == reference.Text("name"));
            foreach (var (key, value) in named.Get(kind == "ConfigMap" ? "data" : "stringData").Entries())
            {
                variables[key] = value;
            }
        }

        foreach (var variable in container.Get("env").Items())
        {
            variables[variable.Text("name")!] = variable.Get("value") ?? variable.Get("valueFrom")!;
        }

        return variables;
    }

    private static string Value(YamlNode container, string name) => ((YamlScalarNode)Environment(container)[name]).Value!;

    [Fact]
    public void EveryManifestParsesNamesItsKindAndIsListedInTheKustomization()
    {
        Assert.NotEmpty(Documents);
        Assert.All(Documents, d =>
        {
            Assert.False(string.IsNullOrEmpty(d.Document.Text("apiVersion")), $"{d.File}: apiVersion");
            Assert.False(string.IsNullOrEmpty(d.Document.Text("kind")), $"{d.File}: kind");
            Assert.True(d.Document.Text("kind") == "Kustomization" || !string.IsNullOrEmpty(d.Document.Text("metadata", "name")), $"{d.File}: metadata.name");
        });

        var listed = Assert.Single(OfKind("Kustomization")).Get("resources").Items().Select(r => ((YamlScalarNode)r).Value!).Order(StringComparer.Ordinal);
        var files = Directory.GetFiles(Folder, "*.yaml").Select(Path.GetFileName).Where(f => f != "kustomization.yaml").Order(StringComparer.Ordinal);
        Assert.Equal(files, listed);
        Assert.Equal([Role.Silo, Role.FrontDoor], Containers().Select(c => c.Role).Order());
    }

    [Fact]
    public void ContainersGetOnlyKeysTheirProcessReads()
    {
        Assert.All(Containers(), c => Assert.All(Environment(c.Container).Keys,
            name => Assert.True(ConfigurationKeys.IsRead(c.Role, name), $"{c.Name}: {name} is no key the {c.Role} reads")));
    }

    [Fact]
    public void ProbesAskPathsTheProcessServesOnItsHttpPort()
    {
        Assert.All(Containers(), c =>
        {
            var image = Dockerfile.Load(c.Role == Role.Silo ? "silo.Dockerfile" : "front-door.Dockerfile");
            Assert.Equal("/health/ready", c.Container.Text("readinessProbe", "httpGet", "path"));
            Assert.Equal("/health/live", c.Container.Text("livenessProbe", "httpGet", "path"));
            foreach (var probe in new[] { "readinessProbe", "livenessProbe", "startupProbe" }.Where(p => c.Container.Get(p) is not null))
            {
                Assert.Contains(c.Container.Text(probe, "httpGet", "path")!, ServedPaths.Of(c.Role));
                Assert.Equal(image.HttpPort, Port(c.Container, c.Container.Text(probe, "httpGet", "port")!));
            }
        });
    }

    [Fact]
    public void SiloContainerPortsAreTheOnesTheSiloIsConfiguredWith()
    {
        var (_, _, silo, _) = Assert.Single(Containers(), c => c.Role == Role.Silo);
        var image = Dockerfile.Load("silo.Dockerfile");

        Assert.Equal(int.Parse(Value(silo, "Orleans__SiloPort"), CultureInfo.InvariantCulture), Port(silo, "silo"));
        Assert.Equal(int.Parse(Value(silo, "Orleans__GatewayPort"), CultureInfo.InvariantCulture), Port(silo, "gateway"));
        Assert.Superset(new HashSet<int> { Port(silo, "silo"), Port(silo, "gateway"), Port(silo, "http") }, image.Exposed.ToHashSet());
    }

    [Fact]
    public void SilosAdvertiseTheirPodAddressAndCarryWhatOrleansKubernetesHostingReads()
    {
        var (_, pod, silo, _) = Assert.Single(Containers(), c => c.Role == Role.Silo);
        var environment = Environment(silo);

        Assert.Equal("status.podIP", environment[$"{OrleansHostingOptions.Section}__{nameof(OrleansHostingOptions.AdvertisedIPAddress)}"].Text("fieldRef", "fieldPath"));
        Assert.Equal("true", Value(silo, $"{OrleansHostingOptions.Section}__{nameof(OrleansHostingOptions.Kubernetes)}"));
        Assert.Equal("metadata.name", environment[KubernetesHostingOptions.PodNameEnvironmentVariable].Text("fieldRef", "fieldPath"));
        Assert.Equal("metadata.namespace", environment[KubernetesHostingOptions.PodNamespaceEnvironmentVariable].Text("fieldRef", "fieldPath"));
        Assert.Equal(Value(silo, "Orleans__ServiceId"), pod.Text("metadata", "labels", KubernetesHostingOptions.ServiceIdLabel));
        Assert.Equal(Value(silo, "Orleans__ClusterId"), pod.Text("metadata", "labels", KubernetesHostingOptions.ClusterIdLabel));

        // Its service account may watch the pods.
        var account = pod.Text("spec", "serviceAccountName");
        var binding = Assert.Single(OfKind("RoleBinding"), b => b.Get("subjects").Items().Any(s => s.Text("kind") == "ServiceAccount" && s.Text("name") == account));
        var role = Assert.Single(OfKind("Role"), r => r.Text("metadata", "name") == binding.Text("roleRef", "name"));
        var rule = Assert.Single(role.Get("rules").Items(), r => r.Get("resources").Items().Any(x => ((YamlScalarNode)x).Value == "pods"));
        Assert.Superset(new HashSet<string> { "get", "list", "watch" }, rule.Get("verbs").Items().Select(v => ((YamlScalarNode)v).Value!).ToHashSet());
        Assert.Single(OfKind("ServiceAccount"), s => s.Text("metadata", "name") == account);
    }

    [Fact]
    public void SilosAndFrontDoorsJoinTheSameCluster()
    {
        var ids = Containers().Select(c => (Value(c.Container, "Orleans__ServiceId"), Value(c.Container, "Orleans__ClusterId"))).Distinct();
        Assert.Single(ids);
    }

    [Fact]
    public void TerminationGraceOutlastsTheHostsShutdownTimeout()
    {
        Assert.All(Containers(), c =>
        {
            var grace = int.Parse(c.Pod.Text("spec", "terminationGracePeriodSeconds")!, CultureInfo.InvariantCulture);
            var shutdown = int.Parse(Value(c.Container, "shutdownTimeoutSeconds"), CultureInfo.InvariantCulture);
            var preStop = int.Parse(c.Container.Text("lifecycle", "preStop", "sleep", "seconds") ?? "0", CultureInfo.InvariantCulture);
            Assert.True(grace > shutdown + preStop, $"{c.Name}: {grace} s of grace for a {preStop} s pre-stop and a {shutdown} s shutdown");
        });
    }

    [Fact]
    public void BudgetsAndServicesSelectPodsThatExistOnPortsTheyName()
    {
        var pods = OfKind("Deployment").Select(d => d.At("spec", "template")!).ToList();
        bool Selects(YamlNode? selector, YamlNode pod) =>
            selector.Entries().Any() && selector.Entries().All(l => pod.Text("metadata", "labels", l.Key) == ((YamlScalarNode)l.Value).Value);

        Assert.Equal(2, OfKind("PodDisruptionBudget").Count());
        Assert.All(OfKind("PodDisruptionBudget"), budget =>
        {
            var selected = Assert.Single(pods, pod => Selects(budget.At("spec", "selector", "matchLabels"), pod));
            Assert.True(budget.At("spec", "maxUnavailable") is not null || budget.At("spec", "minAvailable") is not null);
        });
        Assert.All(OfKind("Service"), service =>
        {
            var selected = Assert.Single(pods, pod => Selects(service.At("spec", "selector"), pod));
            var container = Assert.Single(selected.At("spec", "containers").Items());
            Assert.All(service.At("spec", "ports").Items(), port => Port(container, port.Text("targetPort")!));
        });
    }

    [Fact]
    public void SecretsStayInTheSecret()
    {
        var secret = Assert.Single(OfKind("Secret"));
        var secretKeys = secret.Get("stringData").Entries().Select(e => e.Key).ToHashSet();
        Assert.Contains("ConnectionStrings__Postgres", secretKeys);
        Assert.Contains("ProductEvents__Operator__Key", secretKeys);
        Assert.All(OfKind("ConfigMap"), map => Assert.Empty(map.Get("data").Entries().Select(e => e.Key).Intersect(secretKeys)));
        Assert.All(Containers(), c => Assert.Empty(c.Container.Get("env").Items().Select(v => v.Text("name")!).Intersect(secretKeys)));
    }

    private static int Port(YamlNode container, string nameOrNumber) =>
        int.TryParse(nameOrNumber, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : int.Parse(Assert.Single(container.Get("ports").Items(), p => p.Text("name") == nameOrNumber).Text("containerPort")!, CultureInfo.InvariantCulture);
}
