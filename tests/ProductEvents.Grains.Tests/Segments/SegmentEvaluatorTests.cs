using ProductEvents.Abstractions;
using ProductEvents.Grains.Contacts;
using ProductEvents.Grains.Segments;
using static ProductEvents.Grains.Tests.Segments.SegmentTesting;

namespace ProductEvents.Grains.Tests.Segments;

[Trait("Category", "Unit")]
public sealed class SegmentEvaluatorTests
{
    private const string Viewed = """{"event": {"types": ["view"]}}""";
    private const string Purchased = """{"event": {"types": ["purchase"]}}""";

    [Fact]
    public void AnEventNodeHoldsWhenTheContactHasAnEventOfOneOfItsTypes()
    {
        var contact = Contact(("p-1", ProductEventType.Detail, Now.AddDays(-400)));

        Assert.True(IsMember("""{"event": {"types": ["view", "detail"]}}""", contact));
        Assert.False(IsMember(Viewed, contact));
    }

    [Fact]
    public void AContactWithoutEventsHasNoneOfAnyType()
    {
        var contact = new ContactState();

        Assert.False(IsMember(Viewed, contact));
        Assert.True(IsMember("""{"event": {"types": ["view"], "count": {"eq": 0}}}""", contact));
        Assert.True(IsMember("""{"not": {"event": {"types": ["view"]}}}""", contact));
    }

    [Theory]
    [InlineData(false, false, false)]
    [InlineData(true, false, false)]
    [InlineData(false, true, false)]
    [InlineData(true, true, true)]
    public void AllHoldsOnlyWhenEveryItemHolds(bool viewed, bool purchased, bool expected)
    {
        var contact = ContactWith(viewed, purchased);

        Assert.Equal(expected, IsMember($$"""{"all": [{{Viewed}}, {{Purchased}}]}""", contact));
    }

    [Theory]
    [InlineData(false, false, false)]
    [InlineData(true, false, true)]
    [InlineData(false, true, true)]
    [InlineData(true, true, true)]
    public void AnyHoldsWhenAtLeastOneItemHolds(bool viewed, bool purchased, bool expected)
    {
        var contact = ContactWith(viewed, purchased);

        Assert.Equal(expected, IsMember($$"""{"any": [{{Viewed}}, {{Purchased}}]}""", contact));
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void NotInvertsItsInnerNode(bool viewed, bool expected)
    {
        Assert.Equal(expected, IsMember($$"""{"not": {{Viewed}}}""", ContactWith(viewed, false)));
        Assert.Equal(!expected, IsMember("""{"not": {"not": """ + Viewed + "}}", ContactWith(viewed, false)));
    }

    [Fact]
    public void EmptyAllAndAnyBuiltInCodeAreTrueAndFalse()
    {
        var contact = new ContactState();

        Assert.True(SegmentEvaluator.Evaluate(new AllCondition([]), contact, NoProducts, Now).IsMember);
        Assert.False(SegmentEvaluator.Evaluate(new AnyCondition([]), contact, NoProducts, Now).IsMember);
    }

    [Theory]
    [InlineData("""{"gte": 3}""", true)]
    [InlineData("""{"gte": 4}""", false)]
    [InlineData("""{"lte": 3}""", true)]
    [InlineData("""{"lte": 2}""", false)]
    [InlineData("""{"eq": 3}""", true)]
    [InlineData("""{"eq": 2}""", false)]
    [InlineData("""{"eq": 0}""", false)]
    [InlineData("""{"lte": 0}""", false)]
    [InlineData("""{"gte": 0}""", true)]
    [InlineData("""{"gte": 2, "lte": 3}""", true)]
    [InlineData("""{"gte": 3, "lte": 3}""", true)]
    [InlineData("""{"gte": 4, "lte": 9}""", false)]
    public void CountRulesCompareTheNumberOfMatchingEvents(string count, bool expected)
    {
        var contact = Contact(
            ("p-1", ProductEventType.View, Now.AddDays(-3)),
            ("p-1", ProductEventType.View, Now.AddDays(-2)),
            ("p-2", ProductEventType.View, Now.AddDays(-1)));

        Assert.Equal(expected, IsMember("""{"event": {"types": ["view"], "count": """ + count + "}}", contact));
    }

    [Theory]
    [InlineData("""{"eq": 0}""", true)]
    [InlineData("""{"lte": 0}""", true)]
    [InlineData("""{"lte": 3}""", true)]
    [InlineData("""{"gte": 0}""", true)]
    [InlineData("""{"gte": 1}""", false)]
    public void CountRulesWithoutMatchingEventsCountZero(string count, bool expected)
    {
        var contact = Contact(("p-1", ProductEventType.Purchase, Now));

        Assert.Equal(expected, IsMember("""{"event": {"types": ["view"], "count": """ + count + "}}", contact));
    }

    [Fact]
    public void CountAddsUpEveryProductAndEveryListedType()
    {
        var contact = Contact(
            ("p-1", ProductEventType.View, Now.AddDays(-3)),
            ("p-2", ProductEventType.View, Now.AddDays(-2)),
            ("p-2", ProductEventType.Detail, Now.AddDays(-2)),
            ("p-3", ProductEventType.Purchase, Now.AddDays(-1)));

        Assert.True(IsMember("""{"event": {"types": ["view", "detail"], "count": {"eq": 3}}}""", contact));
    }

    [Fact]
    public void WithoutAWindowTheTotalCountIsExactBeyondTheKeptTimes()
    {
        var contact = Contact(Enumerable.Range(0, 100).Select(i => ("p-1", ProductEventType.View, Now.AddMinutes(-i))).ToArray());

        Assert.True(IsMember("""{"event": {"types": ["view"], "count": {"eq": 100}}}""", contact));
    }

    [Fact]
    public void ATypeListedTwiceInCodeIsCountedOnce()
    {
        var contact = Contact(("p-1", ProductEventType.View, Now), ("p-1", ProductEventType.View, Now.AddMinutes(-1)));
        var condition = new EventCondition([ProductEventType.View, ProductEventType.View], [], null, null, null, new CountRule(null, null, 2), null);

        Assert.True(SegmentEvaluator.Evaluate(condition, contact, NoProducts, Now).IsMember);
    }

    [Fact]
    public void WithinIncludesAnEventExactlyTheWindowOld()
    {
        var contact = Contact(("p-1", ProductEventType.View, Now.AddDays(-7)));
        const string condition = """{"event": {"types": ["view"], "within": "P7D"}}""";

        Assert.True(IsMember(condition, contact, Now));
        Assert.False(IsMember(condition, contact, Now.AddTicks(1)));
        Assert.True(IsMember(condition, contact, Now.AddTicks(-1)));
    }

    [Fact]
    public void WindowEdgesHoldWhenOnlyPartOfAnEntryIsInside()
    {
        // Events on both sides of each edge, so the kept times are counted one by one.
        var contact = Contact(
            ("p-1", ProductEventType.View, Now.AddDays(-8)),
            ("p-1", ProductEventType.View, Now.AddDays(-7)),
            ("p-1", ProductEventType.View, Now.AddDays(-7).AddTicks(-1)),
            ("p-1", ProductEventType.View, Now.AddDays(-1)),
            ("p-1", ProductEventType.View, Now));

        Assert.True(IsMember("""{"event": {"types": ["view"], "within": "P7D", "count": {"eq": 3}}}""", contact));
        Assert.True(IsMember("""{"event": {"types": ["view"], "since": "2026-11-19T10:00:00Z", "until": "2026-11-26T10:00:00Z", "count": {"eq": 2}}}""", contact));
    }

    [Fact]
    public void WithinCountsOnlyEventsInTheWindow()
    {
        var contact = Contact(
            ("p-1", ProductEventType.View, Now.AddDays(-10)),
            ("p-1", ProductEventType.View, Now.AddDays(-6)),
            ("p-1", ProductEventType.View, Now.AddHours(-1)));

        Assert.True(IsMember("""{"event": {"types": ["view"], "within": "P7D", "count": {"eq": 2}}}""", contact));
        Assert.True(IsMember("""{"event": {"types": ["view"], "within": "P1D", "count": {"eq": 1}}}""", contact));
        Assert.True(IsMember("""{"event": {"types": ["view"], "within": 60, "count": {"eq": 0}}}""", contact));
    }

    [Fact]
    public void WithinCountsAnEventStampedAfterNow()
    {
        var contact = Contact(("p-1", ProductEventType.View, Now.AddMinutes(5)));

        Assert.True(IsMember("""{"event": {"types": ["view"], "within": "PT1H"}}""", contact));
    }

    [Fact]
    public void SinceIsInclusiveAndUntilIsExclusive()
    {
        var since = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var until = new DateTimeOffset(2026, 11, 8, 0, 0, 0, TimeSpan.Zero);
        const string window = """ "since": "2026-11-01T00:00:00Z", "until": "2026-11-08T00:00:00Z" """;

        Assert.True(IsMember("""{"event": {"types": ["view"], """ + window + "}}", Contact(("p-1", ProductEventType.View, since))));
        Assert.True(IsMember("""{"event": {"types": ["view"], """ + window + "}}", Contact(("p-1", ProductEventType.View, until.AddTicks(-1)))));
        Assert.False(IsMember("""{"event": {"types": ["view"], """ + window + "}}", Contact(("p-1", ProductEventType.View, until))));
        Assert.False(IsMember("""{"event": {"types": ["view"], """ + window + "}}", Contact(("p-1", ProductEventType.View, since.AddTicks(-1)))));
    }

    [Fact]
    public void SinceAloneAndUntilAloneAreOpenOnTheOtherSide()
    {
        var contact = Contact(
            ("p-1", ProductEventType.View, new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero)),
            ("p-1", ProductEventType.View, new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero)));

        Assert.True(IsMember("""{"event": {"types": ["view"], "since": "2025-01-01", "count": {"eq": 1}}}""", contact));
        Assert.True(IsMember("""{"event": {"types": ["view"], "until": "2025-01-01", "count": {"eq": 1}}}""", contact));
        Assert.True(IsMember("""{"event": {"types": ["view"], "since": "2019-01-01", "count": {"eq": 2}}}""", contact));
    }

    [Fact]
    public void AWindowCountIsExactWhenTheWholeEntryLiesInTheWindow()
    {
        var contact = Contact(Enumerable.Range(0, 100).Select(i => ("p-1", ProductEventType.View, Now.AddMinutes(-i))).ToArray());

        Assert.True(IsMember("""{"event": {"types": ["view"], "within": "PT2H", "count": {"eq": 100}}}""", contact));
        Assert.True(IsMember("""{"event": {"types": ["view"], "since": "2026-01-01", "count": {"eq": 100}}}""", contact));
        Assert.True(IsMember("""{"event": {"types": ["view"], "until": "2026-01-01", "count": {"eq": 0}}}""", contact));
    }

    [Fact]
    public void AWindowCountOverPartOfAnEntryUsesTheKeptTimes()
    {
        // 100 views one minute apart; the newest 64 are kept, so a window over 51 of them is exact...
        var contact = Contact(Enumerable.Range(0, 100).Select(i => ("p-1", ProductEventType.View, Now.AddMinutes(-i))).ToArray());

        Assert.True(IsMember("""{"event": {"types": ["view"], "within": "PT50M", "count": {"eq": 51}}}""", contact));

        // ...and a window over 81 of them counts only the 64 kept: the documented limit.
        Assert.True(IsMember("""{"event": {"types": ["view"], "within": "PT80M", "count": {"eq": 64}}}""", contact));
    }

    [Fact]
    public void ALateEventIsPlacedInTheWindowByItsEventTime()
    {
        // Arrival order: the newest first, then one too old for the window, then one inside it.
        var contact = Contact(
            ("p-1", ProductEventType.View, Now.AddHours(-1)),
            ("p-1", ProductEventType.View, Now.AddDays(-8)),
            ("p-1", ProductEventType.View, Now.AddDays(-3)));

        Assert.True(IsMember("""{"event": {"types": ["view"], "within": "P7D", "count": {"eq": 2}}}""", contact));
        Assert.True(IsMember("""{"event": {"types": ["view"], "until": "2026-11-20", "count": {"eq": 1}}}""", contact));
    }

    [Fact]
    public void ALateEventLandsAmongTheKeptTimesInOrder()
    {
        // 70 recent views, then a late one from inside a short window that already dropped older times.
        var events = Enumerable.Range(0, 70).Select(i => ("p-1", ProductEventType.View, Now.AddMinutes(-i))).ToList();
        events.Add(("p-1", ProductEventType.View, Now.AddSeconds(-30)));
        var contact = Contact([.. events]);

        Assert.True(IsMember("""{"event": {"types": ["view"], "within": "PT1M", "count": {"eq": 3}}}""", contact));
    }

    private static ContactState ContactWith(bool viewed, bool purchased)
    {
        var events = new List<(string, ProductEventType, DateTimeOffset)>();
        if (viewed)
        {
            events.Add(("p-1", ProductEventType.View, Now.AddDays(-1)));
        }

        if (purchased)
        {
            events.Add(("p-2", ProductEventType.Purchase, Now.AddDays(-1)));
        }

        return Contact([.. events]);
    }
}
