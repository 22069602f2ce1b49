using ProductEvents.Abstractions;
using ProductEvents.Api.Ingest;

namespace ProductEvents.Api.Tests.Ingest;

public sealed class KnownKeysTests
{
    private long _seq;

    [Fact]
    public void AFirstCommitIsLookedUpWhole()
    {
        var known = new KnownKeys(100);
        var commit = new[] { Event("app", "p1", user: "u1"), Event("app", "p2", visitor: "k1") };

        var unknown = known.TakeUnknown(commit);
        Assert.Equal(commit, unknown.ForProducts);
        Assert.Equal(commit, unknown.ForContacts);
        Assert.Equal(4, known.Count);
    }

    [Fact]
    public void OnlyEventsWithAKeyNotSeenInAnEarlierCommitAreLookedUp()
    {
        var known = new KnownKeys(100);
        known.TakeUnknown([Event("app", "p1", user: "u1"), Event("app", "p2", visitor: "k1")]);

        var bothKnown = Event("app", "p1", visitor: "k1");
        var newProduct = Event("app", "p3", user: "u1");
        var newUser = Event("app", "p2", user: "u2");
        var unknown = known.TakeUnknown([bothKnown, newProduct, newUser]);
        Assert.Equal([newProduct], unknown.ForProducts);
        Assert.Equal([newUser], unknown.ForContacts);
        Assert.True(known.TakeUnknown([Event("app", "p3", user: "u2"), Event("app", "p1", user: "u1")]).IsEmpty);
    }

    [Fact]
    public void KeysAreScopedByAppAndKind()
    {
        var known = new KnownKeys(100);
        known.TakeUnknown([Event("app", "x", user: "x")]);

        var otherApp = Event("other", "x", user: "x");
        var visitorNamedLikeTheUser = Event("app", "x", visitor: "x");
        var productNamedLikeTheUser = Event("app", "y", user: "x");
        var unknown = known.TakeUnknown([otherApp, visitorNamedLikeTheUser]);
        Assert.Equal([otherApp], unknown.ForProducts);
        Assert.Equal([otherApp, visitorNamedLikeTheUser], unknown.ForContacts);
        unknown = known.TakeUnknown([productNamedLikeTheUser, Event("app", "x", user: "x")]);
        Assert.Equal([productNamedLikeTheUser], unknown.ForProducts);
        Assert.Empty(unknown.ForContacts);
    }

    [Fact]
    public void AtCapacityItStartsOver()
    {
        var known = new KnownKeys(4);
        var first = Event("app", "p1", user: "u1");
        known.TakeUnknown([first, Event("app", "p2", user: "u2")]);
        Assert.Equal(4, known.Count);

        // Two more keys would pass the capacity: what was known is forgotten, so p1/u1 are looked up again later.
        known.TakeUnknown([Event("app", "p3", user: "u3")]);
        Assert.Equal(2, known.Count);
        var again = known.TakeUnknown([first]);
        Assert.Equal([first], again.ForProducts);
        Assert.Equal([first], again.ForContacts);
    }

    private ProductEventRecord Event(string appId, string productId, string? user = null, string? visitor = null)
    {
        var at = DateTimeOffset.UnixEpoch.AddSeconds(++_seq);
        return new ProductEventRecord(_seq, Guid.NewGuid(), appId, productId, ProductEventType.View, user, visitor, null, at, at, null,
            new Dictionary<string, AttributeValue>(), null);
    }
}
