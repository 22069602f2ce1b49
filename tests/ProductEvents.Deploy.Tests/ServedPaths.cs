using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using ProductEvents.FrontDoor;
using ProductEvents.Silo.Hosting;

namespace ProductEvents.Deploy.Tests;

/// <summary>
/// The paths each process serves, read from the endpoints of its real host as it is built for Production (built, not
/// started: nothing listens and no cluster is joined).
/// </summary>
public static class ServedPaths
{
    private static readonly Lazy<IReadOnlySet<string>> Silo = new(() => Routes(ProductEventsHost.Build(["--environment=Production"])));

    private static readonly Lazy<IReadOnlySet<string>> FrontDoor = new(() => Routes(FrontDoorHost.Build(
        ["--environment=Production", "--ConnectionStrings:Postgres=Host=127.0.0.1;Username=none;Database=none"])));

    public static IReadOnlySet<string> Of(Role role) => role == Role.Silo ? Silo.Value : FrontDoor.Value;

    private static HashSet<string> Routes(WebApplication app)
    {
        using (app)
        {
            return ((IEndpointRouteBuilder)app).DataSources.SelectMany(source => source.Endpoints).OfType<RouteEndpoint>()
                .Select(endpoint => "/" + endpoint.RoutePattern.RawText?.TrimStart('/'))
                .ToHashSet(StringComparer.Ordinal);
        }
    }
}
