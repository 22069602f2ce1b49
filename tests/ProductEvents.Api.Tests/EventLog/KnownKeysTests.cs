using ProductEvents.Abstractions;
using ProductEvents.Api.EventLog;
using ProductEvents.Storage.EventLog;

namespace ProductEvents.Api.Tests.EventLog;

[Trait("Category", "Unit")]
public sealed class KnownKeysTests
{
    private long _seq;

    [Fact]
    public void EveryKeyOfAFirstCommitIsUnknownOnce()
    {
        var known = new KnownKeys(100);
        var unknown = known.Unknown([Event("app", "p1", user: "u1"), Event("app", "p2", visitor: "k1"), Event("app", "p1", user: "u1")]);

        Assert.Equal(
            [new LogKey("p", "app", "p1"), new LogKey("u", "app", "u1"), new LogKey("p", "app", "p2"), new LogKey("k", "app", "k1")],
            unknown.Select(k => k.Key));
        Assert.Equal(0, known.Count);
    }

    [Fact]
    public void KeysAreKnownOnlyOnceRemembered()
    {
        var known = new KnownKeys(100);
        var first = known.Unknown([Event("app", "p1", user: "u1"), Event("app", "p2", visitor: "k1")]);

        // A commit that failed remembers nothing: its keys stay unknown.
        Assert.Equal(4, known.Unknown([Event("app", "p1", user: "u1"), Event("app", "p2", visitor: "k1")]).Count);

        known.Remember(first);
        Assert.Equal(4, known.Count);
        var unknown = known.Unknown([Event("app", "p1", visitor: "k1"), Event("app", "p3", user: "u1"), Event("app", "p2", user: "u2")]);
        Assert.Equal([new LogKey("p", "app", "p3"), new LogKey("u", "app", "u2")], unknown.Select(k => k.Key));
    }

    [Fact]
    public void KeysAreScopedByAppAndKind()
    {
        var known = new KnownKeys(100);
        known.Remember(known.Unknown([Event("app", "x", user: "x")]));

        var unknown = known.Unknown([Event("other", "x", user: "x"), Event("app", "x", visitor: "x"), Event("app", "y", user: "x")]);
        Assert.Equal(
            [new LogKey("p", "other", "x"), new LogKey("u", "other", "x"), new LogKey("k", "app", "x"), new LogKey("p", "app", "y")],
            unknown.Select(k => k.Key));
    }

    [Fact]
    public void AppAndIdDoNotRunTogether()
    {
        var known = new KnownKeys(100);
        known.Remember(known.Unknown([Event("ab", "c", user: "u")]));

        Assert.Equal([new LogKey("p", "a", "bc")], known.Unknown([Event("a", "bc", user: "u")]).Where(k => k.Key.Kind == "p").Select(k => k.Key));
    }

    [Fact]
    public void LongIdsAreKeysLikeShortOnes()
    {
        var known = new KnownKeys(100);
        var longId = new string('p', 5_000);
        known.Remember(known.Unknown([Event("app", longId, user: "u")]));

        Assert.Empty(known.Unknown([Event("app", longId, user: "u")]));
        Assert.Equal([new LogKey("p", "app", longId[..^1] + "q")], known.Unknown([Event("app", longId[..^1] + "q", user: "u")]).Select(k => k.Key));
    }

    [Fact]
    public void AtCapacityItStartsOver()
    {
        var known = new KnownKeys(4);
        var first = Event("app", "p1", user: "u1");
        known.Remember(known.Unknown([first, Event("app", "p2", user: "u2")]));
        Assert.Equal(4, known.Count);

        // Two more keys would pass the capacity: what was known is forgotten, so p1/u1 are registered again later.
        known.Remember(known.Unknown([Event("app", "p3", user: "u3")]));
        Assert.Equal(2, known.Count);
        Assert.Equal([new LogKey("p", "app", "p1"), new LogKey("u", "app", "u1")], known.Unknown([first]).Select(k => k.Key));
    }

    private ProductEventRecord Event(string appId, string productId, string? user = null, string? visitor = null)
    {
        var at = DateTimeOffset.UnixEpoch.AddSeconds(++_seq);
        return new ProductEventRecord(_seq, Guid.NewGuid(), appId, productId, ProductEventType.View, user, visitor, null, at, at, null,
            new Dictionary<string, AttributeValue>(), null);
    }
}
