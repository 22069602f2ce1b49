using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using ProductEvents.Storage.Audit;

namespace ProductEvents.Storage.Tests.Apps;

/// <summary>
/// What every <see cref="IAuditLog"/> does: entries list newest first, stamped with the clock, filtered by app, action
/// and a time range (since inclusive, until exclusive), paged by the last id seen, with their details as written.
/// </summary>
public abstract class AuditLogContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private IAuditLog? _audit;

    protected FakeTimeProvider Clock { get; } = new(T0);

    /// <summary>Unique per test, so a log on a shared database shows only this test's entries.</summary>
    protected string App { get; } = $"app-{Guid.NewGuid():N}";

    protected IAuditLog Audit => _audit ?? throw new InvalidOperationException("The log has not been created.");

    protected abstract Task<IAuditLog> CreateLogAsync(TimeProvider clock);

    public async Task InitializeAsync() => _audit = await CreateLogAsync(Clock);

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task EntriesListNewestFirstAndPageByTheLastIdSeen()
    {
        for (var i = 0; i < 5; i++)
        {
            await Audit.WriteAsync(new AuditEntry("operator", AuditActions.SegmentCreate, App, $"s{i}"));
        }

        var first = await Audit.ListAsync(new AuditQuery(AppId: App), 2);
        var second = await Audit.ListAsync(new AuditQuery(AppId: App, Before: first[^1].Id), 2);
        var third = await Audit.ListAsync(new AuditQuery(AppId: App, Before: second[^1].Id), 2);

        Assert.Equal(["s4", "s3", "s2", "s1", "s0"], first.Concat(second).Concat(third).Select(e => e.Subject));
        Assert.True(first[0].Id > first[1].Id);
    }

    [Fact]
    public async Task EntriesFilterByAppActionAndTime()
    {
        await Audit.WriteAsync(new AuditEntry("key:backend", AuditActions.SegmentCreate, App, "a"));
        Clock.Advance(TimeSpan.FromMinutes(1));
        await Audit.WriteAsync(new AuditEntry("key:backend", AuditActions.SegmentDelete, App, "b"));
        await Audit.WriteAsync(new AuditEntry("key:backend", AuditActions.SegmentDelete, App + "-other", "c"));
        Clock.Advance(TimeSpan.FromMinutes(1));
        await Audit.WriteAsync(new AuditEntry("operator", AuditActions.ContactErase, App, "u/42"));

        Assert.Equal(["b"], (await Audit.ListAsync(new AuditQuery(App, AuditActions.SegmentDelete), 10)).Select(e => e.Subject));
        Assert.Equal(["u/42", "b"], (await Audit.ListAsync(new AuditQuery(App, Since: T0.AddMinutes(1)), 10)).Select(e => e.Subject));
        Assert.Equal(["b", "a"], (await Audit.ListAsync(new AuditQuery(App, Until: T0.AddMinutes(2)), 10)).Select(e => e.Subject));
        Assert.Equal(["c"], (await Audit.ListAsync(new AuditQuery(App + "-other"), 10)).Select(e => e.Subject));
    }

    [Fact]
    public async Task AnEntryReadsBackAsWritten()
    {
        await Audit.WriteAsync(new AuditEntry("cli:ops", AuditActions.ContactErase, App, "u/7", new JsonObject { ["events"] = 12, ["reason"] = "request" }));
        await Audit.WriteAsync(new AuditEntry("operator", AuditActions.AppCreate, App, null));

        var entries = await Audit.ListAsync(new AuditQuery(App), 10);

        Assert.Equal(("operator", AuditActions.AppCreate, (string?)null, (JsonObject?)null), (entries[0].Actor, entries[0].Action, entries[0].Subject, entries[0].Details));
        var erased = entries[1];
        Assert.Equal(("cli:ops", AuditActions.ContactErase, App, "u/7", T0), (erased.Actor, erased.Action, erased.AppId, erased.Subject, erased.At));
        Assert.Equal(12, erased.Details!["events"]!.GetValue<int>());
        Assert.Equal("request", erased.Details["reason"]!.GetValue<string>());
    }
}
