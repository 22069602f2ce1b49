using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using ProductEvents.Abstractions;
using ProductEvents.Grains.Segments;
using static ProductEvents.Grains.Tests.Segments.SegmentTesting;

namespace ProductEvents.Grains.Tests.Segments;

[Trait("Category", "Unit")]
public sealed class SegmentConditionJsonTests
{
    public static TheoryData<string> Conditions =>
    [
        """{"event": {"types": ["view"]}}""",
        """{"all": [{"event": {"types": ["add to cart"]}}, {"not": {"event": {"types": ["purchase"]}}}]}""",
        """{"event": {"types": ["add to cart"], "not_followed_by": {"types": ["purchase", "order"], "within": "PT3H"}}}""",
        """{"event": {"types": ["add to cart"], "not_followed_by": {"types": ["purchase"]}}}""",
        """{"event": {"types": ["view", "detail", "liking"], "product": {"category": {"eq": "shoes"}}}}""",
        """{"any": [{"event": {"types": ["purchase"], "product": {"discount": {"gt": 0}}}}, {"event": {"types": ["purchase"], "product": {"promo": {"eq": true}}}}]}""",
        """
        {"event": {"types": [1, "PURCHASE", "promo_click"], "within": "P2W", "count": {"gte": 2, "lte": 5},
          "product": {"price": {"lte": 19.90}, "size": {"in": ["M", 42, false]}, "title": {"contains": "Süß \"x\""},
                      "color": {"exists": false}, "name": {"ne": "x"}, "product_id": {"gte": "a"}, "unit price": {"lt": "z"}}}}
        """,
        """{"event": {"types": ["view"], "since": "2026-01-01T10:00:00+02:00", "until": "2026-02-01T00:00:00.1234567Z", "count": {"eq": 0}}}""",
        """{"event": {"types": ["view"], "within": 1.5, "count": {"lte": 0}}}""",
        """{"not": {"not": {"any": [{"event": {"types": ["refund"], "within": "P1DT2H3M4.5S"}}]}}}""",
        """{"event": {"types": ["view"], "product": {"price": {"gte": 50, "lte": 200}, "category": {"in": ["shoes", "bags"], "ne": "toys"}}}}""",
    ];

    [Theory]
    [MemberData(nameof(Conditions))]
    public void WhatIsWrittenReadsBackEqual(string json)
    {
        var condition = Parse(json);

        var written = SegmentConditionJson.Write(condition);

        Assert.Equal(condition, Parse(written));
        Assert.Equal(written, SegmentConditionJson.Write(Parse(written)));
        Assert.Equal(condition.GetHashCode(), Parse(written).GetHashCode());
    }

    [Fact]
    public void TheCanonicalFormUsesNamesIsoDurationsUtcAndNoDefaults()
    {
        var condition = Parse("""
            {"event": {"count": {"gte": 1}, "within": 86400, "types": [1, "PURCHASE"],
                       "product": {"price": {"lt": 19.90}, "title": {"contains": "Süß"}},
                       "not_followed_by": {"within": 3600, "types": ["refund"]}}}
            """);

        Assert.Equal(
            """{"event":{"types":["add to cart","purchase"],"product":{"price":{"lt":19.90},"title":{"contains":"Süß"}},"within":"P1D","not_followed_by":{"types":["refund"],"within":"PT1H"}}}""",
            SegmentConditionJson.Write(condition));
        Assert.Equal(
            """{"event":{"types":["view"],"since":"2026-01-01T08:00:00Z","until":"2026-01-01T08:00:00.5Z","count":{"eq":0}}}""",
            SegmentConditionJson.Write(Parse("""{"event": {"types": ["view"], "since": "2026-01-01T10:00:00+02:00", "until": "2026-01-01T08:00:00.5", "count": {"eq": 0}}}""")));
    }

    [Fact]
    public void SeveralOperatorsOnOneFieldAreWrittenAsOneObject()
    {
        var condition = Parse("""{"event": {"types": ["view"], "product": {"price": {"gte": 50, "lte": 200}, "promo": {"eq": true}}}}""");

        Assert.Equal(
            """{"event":{"types":["view"],"product":{"price":{"gte":50,"lte":200},"promo":{"eq":true}}}}""",
            SegmentConditionJson.Write(condition));
    }

    [Fact]
    public void AConditionPrintsAsItsCanonicalJson()
    {
        var condition = Parse("""{"not": {"event": {"types": ["view"]}}}""");

        Assert.Equal("""{"not":{"event":{"types":["view"]}}}""", condition.ToString());
    }

    [Fact]
    public void EqualityComparesTheListsItemByItem()
    {
        var one = Parse("""{"all": [{"event": {"types": ["view"], "product": {"size": {"in": ["M", "L"]}}}}]}""");
        var same = Parse("""{"all": [{"event": {"types": ["view"], "product": {"size": {"in": ["M", "L"]}}}}]}""");
        var other = Parse("""{"all": [{"event": {"types": ["view"], "product": {"size": {"in": ["L", "M"]}}}}]}""");

        Assert.Equal(one, same);
        Assert.Equal(one.GetHashCode(), same.GetHashCode());
        Assert.NotEqual(one, other);
        Assert.NotEqual<SegmentCondition>(new AllCondition([]), new AnyCondition([]));
    }

    [Theory]
    [MemberData(nameof(Conditions))]
    public void ConditionsCrossGrainBoundaries(string json)
    {
        var serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();
        var condition = Parse(json);

        var copy = serializer.Deserialize<SegmentCondition>(serializer.SerializeToArray(condition));

        Assert.Equal(condition, copy);
    }

    [Fact]
    public void EvaluationsAndErrorsCrossGrainBoundaries()
    {
        var serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();
        var evaluation = new SegmentEvaluation(true, Now);
        var error = new SegmentDefinitionError("condition.event.types[0]", "is not an event type");

        Assert.Equal(evaluation, serializer.Deserialize<SegmentEvaluation>(serializer.SerializeToArray(evaluation)));
        Assert.Equal(error, serializer.Deserialize<SegmentDefinitionError>(serializer.SerializeToArray(error)));
        Assert.Equal(ProductEventType.View, ((EventCondition)Parse("""{"event": {"types": [8]}}""")).Types[0]);
    }
}
