using System.Collections;
using System.Reflection;
using Orleans.Hosting.Kubernetes;
using ProductEvents.Abstractions;
using ProductEvents.Api.Apps;
using ProductEvents.Client;
using ProductEvents.FrontDoor;
using ProductEvents.Hosting.Telemetry;
using ProductEvents.Silo.Hosting;
using ProductEvents.Storage.EventLog;

namespace ProductEvents.Deploy.Tests;

/// <summary>
/// The configuration keys a process reads, found where the code declares them: every options class with a
/// <c>Section</c> constant in the assemblies the process runs (a front door runs no grain and no silo code), the
/// cluster's connection string and ids, and the few keys of ASP.NET Core, the .NET host and Orleans' Kubernetes
/// hosting the deploy files set. A key is a pattern: "*" stands for one segment (an app id, an array index).
/// </summary>
public static class ConfigurationKeys
{
    private static readonly Assembly[] FrontDoorAssemblies =
    [
        typeof(ClusterDefaults).Assembly, typeof(EventLogOptions).Assembly, typeof(AppsOptions).Assembly,
        typeof(OtlpOptions).Assembly, typeof(ProductEventsClientOptions).Assembly, typeof(FrontDoorHost).Assembly,
    ];

    private static readonly Assembly[] SiloAssemblies =
    [
        .. FrontDoorAssemblies.Where(a => a != typeof(ProductEventsClientOptions).Assembly && a != typeof(FrontDoorHost).Assembly),
        typeof(Grains.Segments.SegmentGrain).Assembly, typeof(ProductEventsHost).Assembly,
    ];

    /// <summary>Keys both processes read that no options class of ours declares.</summary>
    private static readonly string[] Common =
    [
        $"ConnectionStrings:{ClusterDefaults.ConnectionStringName}",
        "urls", "environment", "http_ports",            // ASPNETCORE_URLS, ASPNETCORE_ENVIRONMENT, ASPNETCORE_HTTP_PORTS
        "shutdownTimeoutSeconds",                       // the .NET host's HostOptions.ShutdownTimeout
        "Logging:LogLevel:*", "Logging:Console:FormatterName",
    ];

    public static IReadOnlyList<string> Of(Role role) => role == Role.Silo ? Silo.Value : FrontDoor.Value;

    private static readonly Lazy<IReadOnlyList<string>> Silo = new(() =>
    [
        .. Common, .. SiloAssemblies.SelectMany(Declared),
        KubernetesHostingOptions.PodNameEnvironmentVariable, KubernetesHostingOptions.PodNamespaceEnvironmentVariable,
        KubernetesHostingOptions.PodIPEnvironmentVariable,
    ]);

    private static readonly Lazy<IReadOnlyList<string>> FrontDoor = new(() =>
    [
        .. Common, .. FrontDoorAssemblies.SelectMany(Declared),
        .. typeof(ProductEventsClientOptions).GetProperties().Where(p => p.Name != nameof(ProductEventsClientOptions.ConnectionString))
            .Select(p => $"{ClusterDefaults.Section}:{p.Name}"),
    ]);

    /// <summary>The configuration key an environment variable sets: ASP.NET's "__" for ":", and its host prefixes.</summary>
    public static string FromEnvironmentName(string name)
    {
        foreach (var prefix in new[] { "ASPNETCORE_", "DOTNET_" })
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal))
            {
                return name[prefix.Length..].ToLowerInvariant();
            }
        }

        return name.Replace("__", ":", StringComparison.Ordinal);
    }

    /// <summary>Whether <paramref name="role"/> reads the key the environment variable <paramref name="name"/> sets.</summary>
    public static bool IsRead(Role role, string name)
    {
        var key = FromEnvironmentName(name).Split(':');
        return Of(role).Any(pattern => Matches(pattern.Split(':'), key));
    }

    private static bool Matches(string[] pattern, string[] key) =>
        pattern.Length == key.Length
        && pattern.Zip(key).All(p => p.First == "*" || string.Equals(p.First, p.Second, StringComparison.OrdinalIgnoreCase));

    private static IEnumerable<string> Declared(Assembly assembly) =>
        assembly.GetTypes()
            .Select(type => (Type: type, Section: type.GetField("Section", BindingFlags.Public | BindingFlags.Static)))
            .Where(t => t.Section is { IsLiteral: true } && t.Section.FieldType == typeof(string) && !t.Type.IsAbstract)
            .SelectMany(t => Keys((string)t.Section!.GetRawConstantValue()!, t.Type, depth: 0));

    private static IEnumerable<string> Keys(string prefix, Type type, int depth)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            foreach (var key in ValueKeys($"{prefix}:{property.Name}", property.PropertyType, depth))
            {
                yield return key;
            }
        }
    }

    private static IEnumerable<string> ValueKeys(string key, Type type, int depth)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying.IsPrimitive || underlying.IsEnum || underlying == typeof(string) || underlying == typeof(TimeSpan)
            || underlying == typeof(decimal) || underlying == typeof(Uri) || depth > 3)
        {
            return [key];
        }

        if (underlying.IsArray)
        {
            return ValueKeys($"{key}:*", underlying.GetElementType()!, depth + 1);
        }

        if (underlying.GetInterfaces().Append(underlying).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>)) is { } dictionary)
        {
            return ValueKeys($"{key}:*", dictionary.GetGenericArguments()[1], depth + 1);
        }

        if (typeof(IEnumerable).IsAssignableFrom(underlying) && underlying.IsGenericType)
        {
            return ValueKeys($"{key}:*", underlying.GetGenericArguments()[0], depth + 1);
        }

        return Keys(key, underlying, depth + 1);
    }
}
