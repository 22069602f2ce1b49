using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ProductEvents.Abstractions.Telemetry;

/// <summary>
/// The one <see cref="Meter"/> and <see cref="ActivitySource"/> of ProductEvents, both named <see cref="Name"/>. Each
/// area defines its instruments on them in a Telemetry folder of its own; docs/operations.md lists them all.
/// </summary>
public static class ProductEventsTelemetry
{
    public const string Name = "ProductEvents";

    /// <summary>The tag every ProductEvents series carries: the app (workspace) it is about.</summary>
    public const string AppTag = "app_id";

    public static readonly Meter Meter = new(Name);

    public static readonly ActivitySource Source = new(Name);
}
