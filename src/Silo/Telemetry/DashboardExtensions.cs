using Orleans.Dashboard;
using ProductEvents.Api.Operator;
using ProductEvents.Hosting.Telemetry;

namespace ProductEvents.Silo.Telemetry;

public static class DashboardExtensions
{
    /// <summary>The Orleans Dashboard at <c>/dashboard</c>, behind the operator key outside Development: a silo's own.</summary>
    public static WebApplication MapDashboard(this WebApplication app)
    {
        app.MapOrleansDashboard(routePrefix: TelemetryHostingExtensions.DashboardPath).RequireOperatorKey();
        return app;
    }
}
