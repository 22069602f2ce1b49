using ProductEvents.Grains.Automations;
using ProductEvents.Grains.Products;
using ProductEvents.Grains.Projections;
using ProductEvents.Storage.Automations;
using ProductEvents.Storage.EventLog;
using ProductEvents.Storage.Segments;

namespace ProductEvents.Grains.Contacts;

/// <summary>
/// What a contact grain works with, one singleton injected into each activation. The automation services are
/// optional: a silo without automations (<see cref="AutomationSiloExtensions.AddAutomations"/>) checks no triggers.
/// </summary>
public sealed class ContactServices(
    IEventLogReader log,
    SegmentDefinitionCache segments,
    ProductSnapshotCache products,
    MembershipStreams streams,
    ISegmentMembershipStore memberships,
    IWindowCheckStore windowChecks,
    TimeProvider clock,
    IOptions<ProjectionOptions> options,
    AutomationDefinitionCache? automations = null,
    IAutomationRunStore? runs = null)
{
    public IEventLogReader Log { get; } = log;

    public SegmentDefinitionCache Segments { get; } = segments;

    public ProductSnapshotCache Products { get; } = products;

    public MembershipStreams Streams { get; } = streams;

    public ISegmentMembershipStore Memberships { get; } = memberships;

    public IWindowCheckStore WindowChecks { get; } = windowChecks;

    public TimeProvider Clock { get; } = clock;

    public IOptions<ProjectionOptions> Options { get; } = options;

    public AutomationDefinitionCache? Automations { get; } = automations;

    public IAutomationRunStore? Runs { get; } = runs;
}
