using ProductEvents.Abstractions;
using ProductEvents.Grains.Products;
using ProductEvents.Grains.Tests.Support;

namespace ProductEvents.Grains.Tests.Products;

[Trait("Category", "Unit")]
public sealed class ProductProjectionTests
{
    private static readonly DateTimeOffset T0 = Events.T0;

    [Fact]
    public void ProductWithoutEventsHasNoSnapshot()
    {
        Assert.Null(ProductProjection.ToSnapshot("p-1", new ProductState()));
    }

    [Fact]
    public void FirstEventCreatesTheProductWithItsNameAttributesAndCount()
    {
        var state = new ProductState();

        ProductProjection.Apply(state, Events.Record(seq: 1, type: ProductEventType.AddToCart, name: "Red shoe", receivedAt: T0.AddSeconds(5),
            attributes: Events.Attributes(("color", "red"), ("size", "42"))));

        var snapshot = ProductProjection.ToSnapshot("p-1", state)!;
        Assert.Equal("p-1", snapshot.ProductId);
        Assert.Equal("Red shoe", snapshot.Name);
        Assert.Equal(AttributeValue.FromString("red"), snapshot.Attributes["color"]);
        Assert.Equal(AttributeValue.FromString("42"), snapshot.Attributes["size"]);
        Assert.Equal(1, snapshot.EventCounts[ProductEventType.AddToCart]);
        Assert.Single(snapshot.EventCounts);
        Assert.Equal(T0.AddSeconds(5), snapshot.CreatedAt);
        Assert.Equal(T0.AddSeconds(5), snapshot.UpdatedAt);
        Assert.Equal(1, snapshot.AppliedSeq);
    }

    [Fact]
    public void FirstEventWithoutNameCreatesAProductWithoutName()
    {
        var state = new ProductState();

        ProductProjection.Apply(state, Events.Record(seq: 1));

        var snapshot = ProductProjection.ToSnapshot("p-1", state)!;
        Assert.Null(snapshot.Name);
        Assert.Empty(snapshot.Attributes);
    }

    [Fact]
    public void NewerEventOverwritesAttribute()
    {
        var state = new ProductState();

        ProductProjection.Apply(state, Events.Record(seq: 1, timestamp: T0, attributes: Events.Attributes(("color", "red"))));
        ProductProjection.Apply(state, Events.Record(seq: 2, timestamp: T0.AddMinutes(1), attributes: Events.Attributes(("color", "blue"))));

        Assert.Equal("blue", Snapshot(state).Attributes["color"].Text);
    }

    [Fact]
    public void LateEventDoesNotOverwriteNewerAttribute()
    {
        var state = new ProductState();

        ProductProjection.Apply(state, Events.Record(seq: 1, timestamp: T0, attributes: Events.Attributes(("color", "blue"))));
        ProductProjection.Apply(state, Events.Record(seq: 2, timestamp: T0.AddHours(-1), attributes: Events.Attributes(("color", "red"))));

        Assert.Equal("blue", Snapshot(state).Attributes["color"].Text);
    }

    [Fact]
    public void LateEventStillSetsAttributesTheProductDoesNotHaveYet()
    {
        var state = new ProductState();

        ProductProjection.Apply(state, Events.Record(seq: 1, timestamp: T0, attributes: Events.Attributes(("color", "blue"))));
        ProductProjection.Apply(state, Events.Record(seq: 2, timestamp: T0.AddHours(-1), attributes: Events.Attributes(("color", "red"), ("size", "42"))));

        var snapshot = Snapshot(state);
        Assert.Equal("blue", snapshot.Attributes["color"].Text);
        Assert.Equal("42", snapshot.Attributes["size"].Text);
    }

    [Fact]
    public void LastWriterWinsIsDecidedPerAttribute()
    {
        var state = new ProductState();

        ProductProjection.Apply(state, Events.Record(seq: 1, timestamp: T0.AddMinutes(10), attributes: Events.Attributes(("color", "blue"))));
        ProductProjection.Apply(state, Events.Record(seq: 2, timestamp: T0, attributes: Events.Attributes(("price", "10"))));
        ProductProjection.Apply(state, Events.Record(seq: 3, timestamp: T0.AddMinutes(5), attributes: Events.Attributes(("color", "red"), ("price", "12"))));

        var snapshot = Snapshot(state);
        Assert.Equal("blue", snapshot.Attributes["color"].Text);
        Assert.Equal("12", snapshot.Attributes["price"].Text);
    }

    [Fact]
    public void EqualTimesAreWonByTheLaterArrival()
    {
        var state = new ProductState();

        ProductProjection.Apply(state, Events.Record(seq: 1, timestamp: T0, name: "first", attributes: Events.Attributes(("color", "red"))));
        ProductProjection.Apply(state, Events.Record(seq: 2, timestamp: T0, name: "second", attributes: Events.Attributes(("color", "blue"))));

        var snapshot = Snapshot(state);
        Assert.Equal("blue", snapshot.Attributes["color"].Text);
        Assert.Equal("second", snapshot.Name);
    }

    [Fact]
    public void EqualTimesAreNotWonByALowerLogPosition()
    {
        var state = new ProductState();

        ProductProjection.Apply(state, Events.Record(seq: 9, timestamp: T0, attributes: Events.Attributes(("color", "blue"))));
        ProductProjection.Apply(state, Events.Record(seq: 4, timestamp: T0, attributes: Events.Attributes(("color", "red"))));

        Assert.Equal("blue", Snapshot(state).Attributes["color"].Text);
    }

    [Fact]
    public void NameFollowsLastWriterWinsByEventTime()
    {
        var state = new ProductState();

        ProductProjection.Apply(state, Events.Record(seq: 1, timestamp: T0, name: "Shoe"));
        ProductProjection.Apply(state, Events.Record(seq: 2, timestamp: T0.AddHours(-1), name: "Old shoe"));
        Assert.Equal("Shoe", Snapshot(state).Name);

        ProductProjection.Apply(state, Events.Record(seq: 3, timestamp: T0.AddHours(1), name: "New shoe"));
        Assert.Equal("New shoe", Snapshot(state).Name);
    }

    [Fact]
    public void EventWithoutNameKeepsTheName()
    {
        var state = new ProductState();

        ProductProjection.Apply(state, Events.Record(seq: 1, timestamp: T0, name: "Shoe"));
        ProductProjection.Apply(state, Events.Record(seq: 2, timestamp: T0.AddHours(1), name: null));

        Assert.Equal("Shoe", Snapshot(state).Name);
    }

    [Fact]
    public void NullAttributeValueIsANewerValueLikeAnyOther()
    {
        var state = new ProductState();

        ProductProjection.Apply(state, Events.Record(seq: 1, timestamp: T0, attributes: Events.Attributes(("discount", "10%"))));
        ProductProjection.Apply(state, Events.Record(seq: 2, timestamp: T0.AddMinutes(1),
            attributes: new Dictionary<string, AttributeValue> { ["discount"] = AttributeValue.Null }));

        Assert.Equal(AttributeValue.Null, Snapshot(state).Attributes["discount"]);
    }

    [Fact]
    public void EveryEventIsCountedByTypeIncludingLateOnes()
    {
        var state = new ProductState();

        ProductProjection.Apply(state, Events.Record(seq: 1, type: ProductEventType.View, timestamp: T0));
        ProductProjection.Apply(state, Events.Record(seq: 2, type: ProductEventType.View, timestamp: T0.AddHours(-5)));
        ProductProjection.Apply(state, Events.Record(seq: 3, type: ProductEventType.AddToCart, timestamp: T0));
        ProductProjection.Apply(state, Events.Record(seq: 4, type: ProductEventType.Purchase, timestamp: T0.AddDays(-1)));

        var counts = Snapshot(state).EventCounts;
        Assert.Equal(3, counts.Count);
        Assert.Equal(2, counts[ProductEventType.View]);
        Assert.Equal(1, counts[ProductEventType.AddToCart]);
        Assert.Equal(1, counts[ProductEventType.Purchase]);
    }

    [Fact]
    public void CreatedAtIsTheFirstArrivalAndUpdatedAtTheNewest()
    {
        var state = new ProductState();

        ProductProjection.Apply(state, Events.Record(seq: 1, receivedAt: T0));
        ProductProjection.Apply(state, Events.Record(seq: 2, timestamp: T0.AddDays(-3), receivedAt: T0.AddMinutes(2)));

        var snapshot = Snapshot(state);
        Assert.Equal(T0, snapshot.CreatedAt);
        Assert.Equal(T0.AddMinutes(2), snapshot.UpdatedAt);
        Assert.Equal(2, snapshot.AppliedSeq);
    }

    [Fact]
    public void SnapshotDoesNotChangeWithLaterEvents()
    {
        var state = new ProductState();
        ProductProjection.Apply(state, Events.Record(seq: 1, attributes: Events.Attributes(("color", "red"))));
        var before = Snapshot(state);

        ProductProjection.Apply(state, Events.Record(seq: 2, timestamp: T0.AddHours(1), attributes: Events.Attributes(("color", "blue"), ("size", "1"))));

        Assert.Equal("red", before.Attributes["color"].Text);
        Assert.False(before.Attributes.ContainsKey("size"));
        Assert.Equal(1, before.EventCounts[ProductEventType.View]);
    }

    [Fact]
    public void RepeatedValuesKeepTheTextsTheProductHoldsAndAreNotChanges()
    {
        var state = new ProductState();
        var name = Copy("Red shoe");
        var color = Copy("red");
        ProductProjection.Apply(state, Events.Record(seq: 1, timestamp: T0, name: name,
            attributes: new Dictionary<string, AttributeValue> { ["color"] = AttributeValue.FromString(color) }));

        var changed = new HashSet<string>();
        ProductProjection.Apply(state, Events.Record(seq: 2, timestamp: T0.AddMinutes(1), name: Copy("Red shoe"),
            attributes: new Dictionary<string, AttributeValue> { ["color"] = AttributeValue.FromString(Copy("red")), ["size"] = AttributeValue.FromString("42") }),
            changed);

        Assert.Equal(["size"], changed);
        Assert.Same(name, state.Name!.Value.Value.Text);
        Assert.Same(color, state.Attributes["color"].Value.Text);
        Assert.Equal((T0.AddMinutes(1), 2L), (state.Attributes["color"].Timestamp, state.Attributes["color"].Seq));
        Assert.Equal((T0.AddMinutes(1), 2L), (state.Name.Value.Timestamp, state.Name.Value.Seq));

        static string Copy(string text) => new(text.AsSpan());
    }

    private static ProductSnapshot Snapshot(ProductState state) => ProductProjection.ToSnapshot("p-1", state)!;
}
