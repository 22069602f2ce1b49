using ProductEvents.Abstractions;
using ProductEvents.Grains.Segments;
using static ProductEvents.Grains.Tests.Segments.SegmentTesting;

namespace ProductEvents.Grains.Tests.Segments;

[Trait("Category", "Unit")]
public sealed class SegmentConditionParserTests
{
    [Fact]
    public void ReadsEveryPartOfAnEventNode()
    {
        var condition = Parse("""
            {"event": {
              "types": ["add to cart", "PURCHASE", "promo_click", 8, "10"],
              "product": {"category": {"eq": "shoes"}, "price": {"lt": 100}, "promo": {"eq": true}, "tags": {"in": ["a", 2, false]},
                          "brand": {"exists": true}, "name": {"contains": "run"}, "product_id": {"ne": "p-9"}},
              "within": "P7D",
              "count": {"gte": 2, "lte": 5},
              "not_followed_by": {"types": ["refund"], "within": "PT3H"}
            }}
            """);

        var expected = new EventCondition(
            [ProductEventType.AddToCart, ProductEventType.Purchase, ProductEventType.PromoClick, ProductEventType.View, ProductEventType.Detail],
            [
                new("category", FilterOperator.Eq, [AttributeValue.FromString("shoes")]),
                new("price", FilterOperator.Lt, [AttributeValue.FromNumberText("100")]),
                new("promo", FilterOperator.Eq, [AttributeValue.True]),
                new("tags", FilterOperator.In, [AttributeValue.FromString("a"), AttributeValue.FromNumberText("2"), AttributeValue.False]),
                new("brand", FilterOperator.Exists, [AttributeValue.True]),
                new("name", FilterOperator.Contains, [AttributeValue.FromString("run")]),
                new("product_id", FilterOperator.Ne, [AttributeValue.FromString("p-9")]),
            ],
            TimeSpan.FromDays(7),
            null,
            null,
            new CountRule(2, 5, null),
            new FollowRule([ProductEventType.Refund], TimeSpan.FromHours(3)));
        Assert.Equal(expected, condition);
    }

    [Fact]
    public void ReadsTheCompositeNodes()
    {
        var condition = Parse("""
            {"all": [{"event": {"types": ["view"]}}, {"any": [{"event": {"types": ["liking"]}}, {"not": {"event": {"types": ["purchase"]}}}]}]}
            """);

        var view = new EventCondition([ProductEventType.View], [], null, null, null, CountRule.AtLeastOne, null);
        var liking = view with { Types = [ProductEventType.Liking] };
        var purchase = view with { Types = [ProductEventType.Purchase] };
        Assert.Equal(new AllCondition([view, new AnyCondition([liking, new NotCondition(purchase)])]), condition);
    }

    [Fact]
    public void AnEventNodeWithoutOptionsCountsAtLeastOneEventOfAllTime()
    {
        var condition = Assert.IsType<EventCondition>(Parse("""{"event": {"types": ["view"]}}"""));

        Assert.Empty(condition.Product);
        Assert.Null(condition.Within);
        Assert.Null(condition.Since);
        Assert.Null(condition.Until);
        Assert.Null(condition.NotFollowedBy);
        Assert.Equal(CountRule.AtLeastOne, condition.Count);
    }

    [Fact]
    public void SeveralOperatorsOnOneFieldEachBecomeAFilter()
    {
        var condition = Assert.IsType<EventCondition>(Parse("""
            {"event": {"types": ["view"], "product": {"price": {"gte": 50, "lte": 200}, "category": {"ne": "toys", "exists": true}}}}
            """));

        Assert.Equal(
            [
                new ProductFilter("price", FilterOperator.Gte, [AttributeValue.FromNumberText("50")]),
                new ProductFilter("price", FilterOperator.Lte, [AttributeValue.FromNumberText("200")]),
                new ProductFilter("category", FilterOperator.Ne, [AttributeValue.FromString("toys")]),
                new ProductFilter("category", FilterOperator.Exists, [AttributeValue.True]),
            ],
            condition.Product);
    }

    [Theory]
    [InlineData("""{"gte": 50, "lte": 50}""")]
    [InlineData("""{"gt": 49.99, "lt": 50}""")]
    [InlineData("""{"gte": "a", "lte": "b"}""")]
    [InlineData("""{"gt": 10, "gte": 5, "lt": 20}""")]
    public void ARangeThatLeavesAValueIsAccepted(string operators)
    {
        var condition = Assert.IsType<EventCondition>(Parse("""{"event": {"types": ["view"], "product": {"price": """ + operators + "}}}"));

        Assert.All(condition.Product, f => Assert.Equal("price", f.Field));
    }

    [Fact]
    public void EveryErrorOfAFieldWithSeveralOperatorsIsReportedAtItsOwnPath()
    {
        var errors = Errors("""{"event": {"types": ["view"], "product": {"price": {"gte": true, "lte": null, "around": 5}}}}""");

        Assert.Equal(
            ["condition.event.product.price.gte", "condition.event.product.price.lte", "condition.event.product.price.around"],
            errors.Select(e => e.Path));
    }

    [Theory]
    [InlineData("49.99", false)]
    [InlineData("50", true)]
    [InlineData("120", true)]
    [InlineData("200", true)]
    [InlineData("200.01", false)]
    public void EveryOperatorOnAFieldMustHold(string price, bool member)
    {
        var contact = Contact(("p-1", ProductEventType.View, Now));
        var products = Catalog(Product("p-1", null, ("price", AttributeValue.FromNumberText(price))));

        Assert.Equal(member, IsMember("""{"event": {"types": ["view"], "product": {"price": {"gte": 50, "lte": 200}}}}""", contact, products: products));
    }

    [Fact]
    public void RepeatedEventTypesAreReadOnce()
    {
        var condition = Assert.IsType<EventCondition>(Parse("""{"event": {"types": ["view", 8, "VIEW", "purchase"]}}"""));

        Assert.Equal([ProductEventType.View, ProductEventType.Purchase], condition.Types);
    }

    [Theory]
    [InlineData("\"PT30M\"", 1_800)]
    [InlineData("\"P7D\"", 604_800)]
    [InlineData("\"P2W\"", 1_209_600)]
    [InlineData("90", 90)]
    [InlineData("1.5", 1.5)]
    [InlineData("315360000", 315_360_000)]
    [InlineData("\"P3650D\"", 315_360_000)]
    public void WithinIsADurationOrSeconds(string within, double seconds)
    {
        var condition = Assert.IsType<EventCondition>(Parse("""{"event": {"types": ["view"], "within": """ + within + "}}"));

        Assert.Equal(TimeSpan.FromSeconds(seconds), condition.Within);
    }

    [Theory]
    [InlineData("2026-03-01T08:30:00Z", "2026-03-01T08:30:00+00:00")]
    [InlineData("2026-03-01T08:30:00", "2026-03-01T08:30:00+00:00")]
    [InlineData("2026-03-01T08:30", "2026-03-01T08:30:00+00:00")]
    [InlineData("2026-03-01", "2026-03-01T00:00:00+00:00")]
    [InlineData("2026-03-01T10:30:00+02:00", "2026-03-01T08:30:00+00:00")]
    [InlineData("2026-03-01T08:30:00.1234567Z", "2026-03-01T08:30:00.1234567+00:00")]
    public void SinceIsAnIsoDateTimeInUtcWhenItHasNoOffset(string since, string instant)
    {
        var condition = Assert.IsType<EventCondition>(Parse("{\"event\": {\"types\": [\"view\"], \"since\": \"" + since + "\", \"until\": \"2027-01-01T00:00:00Z\"}}"));

        Assert.Equal(DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture), condition.Since);
        Assert.Equal(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero), condition.Until);
    }

    [Theory]
    [InlineData("""{"eq": 0}""", null, null, 0L)]
    [InlineData("""{"lte": 0}""", null, 0L, null)]
    [InlineData("""{"gte": 0}""", 0L, null, null)]
    [InlineData("""{"gte": 3, "lte": 3}""", 3L, 3L, null)]
    public void CountTakesBoundsOrAnExactNumber(string count, long? gte, long? lte, long? eq)
    {
        var condition = Assert.IsType<EventCondition>(Parse("""{"event": {"types": ["view"], "count": """ + count + "}}"));

        Assert.Equal(new CountRule(gte, lte, eq), condition.Count);
    }

    [Fact]
    public void NotFollowedByWithoutWithinWaitsForever()
    {
        var condition = Assert.IsType<EventCondition>(Parse("""{"event": {"types": ["add to cart"], "not_followed_by": {"types": ["purchase", 5]}}}"""));

        Assert.Equal(new FollowRule([ProductEventType.Purchase, ProductEventType.Order], null), condition.NotFollowedBy);
    }

    [Fact]
    public void NestingTenLevelsDeepIsAllowed()
    {
        Parse(Nested(9));
    }

    [Fact]
    public void NestingElevenLevelsDeepNamesTheNodeTooDeep()
    {
        var error = Assert.Single(Errors(Nested(10)));

        Assert.Equal("condition" + string.Concat(Enumerable.Repeat(".not", 10)), error.Path);
        Assert.Contains("10 levels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FiftyItemsAndFiftyEventNodesAreAllowed()
    {
        Parse($$"""{"any": [{{string.Join(", ", Enumerable.Repeat("""{"event": {"types": ["view"]}}""", 50))}}]}""");
    }

    [Fact]
    public void FiftyOneItemsAreTooMany()
    {
        var error = Assert.Single(Errors($$"""{"all": [{{string.Join(", ", Enumerable.Repeat("""{"event": {"types": ["view"]}}""", 51))}}]}"""));

        Assert.Equal("condition.all", error.Path);
        Assert.Contains("at most 50", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheFiftyFirstEventNodeIsNamed()
    {
        var events = (int n) => string.Join(", ", Enumerable.Repeat("""{"event": {"types": ["view"]}}""", n));

        var error = Assert.Single(Errors($$"""{"all": [{"any": [{{events(25)}}]}, {"any": [{{events(26)}}]}]}"""));

        Assert.Equal("condition.all[1].any[25].event", error.Path);
        Assert.Contains("at most 50", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryProblemIsReportedAtOnce()
    {
        var errors = Errors("""
            {"all": [
              {"event": {"types": ["nope", "view", 99]}},
              {"event": {"types": ["view"], "within": "P1M", "count": {"gte": -1}}},
              {"oops": 1}
            ]}
            """);

        Assert.Equal(
            ["condition.all[0].event.types[0]", "condition.all[0].event.types[2]", "condition.all[1].event.within",
             "condition.all[1].event.count.gte", "condition.all[2].oops"],
            errors.Select(e => e.Path));
    }

    [Fact]
    public void PathsStartWithTheNameTheCallerGives()
    {
        var error = Assert.Single(Errors("""{"not": {"event": {"types": []}}}""", "segments[3].condition"));

        Assert.Equal("segments[3].condition.not.event.types", error.Path);
    }

    [Fact]
    public void AFieldNameThatIsNotAPlainWordIsQuotedInThePath()
    {
        var error = Assert.Single(Errors("""{"event": {"types": ["view"], "product": {"unit \"net\" price": {"lt": null}}}}"""));

        Assert.Equal("""condition.event.product["unit \"net\" price"].lt""", error.Path);
    }

    [Fact]
    public void AnUnknownEventTypeErrorListsTheAllowedValues()
    {
        var error = Assert.Single(Errors("""{"event": {"types": ["add to basket"]}}"""));

        Assert.Equal("condition.event.types[0]", error.Path);
        Assert.Contains("\"add to basket\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("1 (add to cart)", error.Message, StringComparison.Ordinal);
        Assert.Contains("16 (promo click)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnInvalidNodeErrorListsTheAllowedKeys()
    {
        var errors = Errors("""{"evnt": {"types": ["view"]}}""");

        Assert.Equal(
            [new("condition.evnt", "unknown key; a condition node has exactly one of: all, any, not, event")],
            errors);
    }

    [Theory]
    // Nodes.
    [InlineData("""[]""", "condition", "exactly one of: all, any, not, event")]
    [InlineData("""null""", "condition", "exactly one of: all, any, not, event")]
    [InlineData("""{}""", "condition", "exactly one of: all, any, not, event")]
    [InlineData("""{"all": [{"event": {"types": ["view"]}}], "any": [{"event": {"types": ["view"]}}]}""", "condition", "combine")]
    [InlineData("""{"event": {"types": ["view"]}, "not": {"event": {"types": ["view"]}}}""", "condition", "exactly one of")]
    [InlineData("""{"All": []}""", "condition.All", "unknown key")]
    [InlineData("""{"all": []}""", "condition.all", "non-empty array")]
    [InlineData("""{"any": {}}""", "condition.any", "non-empty array")]
    [InlineData("""{"all": [{"event": {"types": ["view"]}}, 3]}""", "condition.all[1]", "must be an object")]
    [InlineData("""{"not": []}""", "condition.not", "must be an object")]
    [InlineData("""{"not": {"event": {"types": ["view"]}}, "not": {"event": {"types": ["view"]}}}""", "condition.not", "duplicate key")]
    // Event nodes and their types.
    [InlineData("""{"event": "view"}""", "condition.event", "must be an object")]
    [InlineData("""{"event": {}}""", "condition.event.types", "is required")]
    [InlineData("""{"event": {"product": {}}}""", "condition.event.types", "is required")]
    [InlineData("""{"event": {"types": []}}""", "condition.event.types", "non-empty array")]
    [InlineData("""{"event": {"types": "view"}}""", "condition.event.types", "non-empty array")]
    [InlineData("""{"event": {"types": [17]}}""", "condition.event.types[0]", "is not an event type")]
    [InlineData("""{"event": {"types": [0]}}""", "condition.event.types[0]", "is not an event type")]
    [InlineData("""{"event": {"types": [1.5]}}""", "condition.event.types[0]", "is not an event type")]
    [InlineData("""{"event": {"types": ["17"]}}""", "condition.event.types[0]", "is not an event type")]
    [InlineData("""{"event": {"types": [true]}}""", "condition.event.types[0]", "is not an event type")]
    [InlineData("""{"event": {"types": ["view", null]}}""", "condition.event.types[1]", "is not an event type")]
    [InlineData("""{"event": {"types": ["view"], "typ": ["view"]}}""", "condition.event.typ", "unknown key; an event node allows: types, product, within")]
    [InlineData("""{"event": {"types": ["view"], "types": ["view"]}}""", "condition.event.types", "duplicate key")]
    // Product filters.
    [InlineData("""{"event": {"types": ["view"], "product": []}}""", "condition.event.product", "must be an object")]
    [InlineData("""{"event": {"types": ["view"], "product": {"category": "shoes"}}}""", "condition.event.product.category", "must be an object of one or more operators")]
    [InlineData("""{"event": {"types": ["view"], "product": {"category": {}}}}""", "condition.event.product.category", "at least one operator")]
    [InlineData("""{"event": {"types": ["view"], "product": {"price": {"gte": 50, "lte": null}}}}""", "condition.event.product.price.lte", "a number or a string")]
    [InlineData("""{"event": {"types": ["view"], "product": {"price": {"lte": 200, "gte": []}}}}""", "condition.event.product.price.gte", "a number or a string")]
    [InlineData("""{"event": {"types": ["view"], "product": {"price": {"gte": 50, "between": [1, 5]}}}}""", "condition.event.product.price.between", "unknown operator")]
    [InlineData("""{"event": {"types": ["view"], "product": {"price": {"gte": 50, "gte": 60}}}}""", "condition.event.product.price.gte", "duplicate key")]
    [InlineData("""{"event": {"types": ["view"], "product": {"price": {"gte": 200, "lte": 50}}}}""", "condition.event.product.price.lte", "leaves no value that also satisfies gte")]
    [InlineData("""{"event": {"types": ["view"], "product": {"price": {"lt": 50, "gt": 50}}}}""", "condition.event.product.price.lt", "leaves no value that also satisfies gt")]
    [InlineData("""{"event": {"types": ["view"], "product": {"price": {"gte": 50, "lt": 50}}}}""", "condition.event.product.price.lt", "leaves no value that also satisfies gte")]
    [InlineData("""{"event": {"types": ["view"], "product": {"name": {"contains": "shoe", "ne": 5}}}}""", "condition.event.product.name.ne", "name is a string")]
    [InlineData("""{"event": {"types": ["view"], "product": {"price": {"between": [1, 5]}}}}""", "condition.event.product.price.between", "unknown operator; allowed: eq, ne, in, lt, lte, gt, gte, contains, exists")]
    [InlineData("""{"event": {"types": ["view"], "product": {"": {"eq": 1}}}}""", "condition.event.product[\"\"]", "must not be empty")]
    [InlineData("""{"event": {"types": ["view"], "product": {"price": {"lt": 1}, "price": {"gt": 0}}}}""", "condition.event.product.price", "duplicate key")]
    [InlineData("""{"event": {"types": ["view"], "product": {"category": {"eq": null}}}}""", "condition.event.product.category.eq", "a string, a number or a boolean")]
    [InlineData("""{"event": {"types": ["view"], "product": {"category": {"eq": ["shoes"]}}}}""", "condition.event.product.category.eq", "a string, a number or a boolean")]
    [InlineData("""{"event": {"types": ["view"], "product": {"category": {"ne": {}}}}}""", "condition.event.product.category.ne", "a string, a number or a boolean")]
    [InlineData("""{"event": {"types": ["view"], "product": {"price": {"lt": true}}}}""", "condition.event.product.price.lt", "a number or a string")]
    [InlineData("""{"event": {"types": ["view"], "product": {"price": {"lte": null}}}}""", "condition.event.product.price.lte", "a number or a string")]
    [InlineData("""{"event": {"types": ["view"], "product": {"price": {"gt": [1]}}}}""", "condition.event.product.price.gt", "a number or a string")]
    [InlineData("""{"event": {"types": ["view"], "product": {"price": {"gte": false}}}}""", "condition.event.product.price.gte", "a number or a string")]
    [InlineData("""{"event": {"types": ["view"], "product": {"title": {"contains": 5}}}}""", "condition.event.product.title.contains", "must be a string")]
    [InlineData("""{"event": {"types": ["view"], "product": {"color": {"in": []}}}}""", "condition.event.product.color.in", "non-empty array")]
    [InlineData("""{"event": {"types": ["view"], "product": {"color": {"in": "red"}}}}""", "condition.event.product.color.in", "non-empty array")]
    [InlineData("""{"event": {"types": ["view"], "product": {"color": {"in": ["red", null]}}}}""", "condition.event.product.color.in[1]", "a string, a number or a boolean")]
    [InlineData("""{"event": {"types": ["view"], "product": {"color": {"exists": "yes"}}}}""", "condition.event.product.color.exists", "true or false")]
    [InlineData("""{"event": {"types": ["view"], "product": {"name": {"eq": 5}}}}""", "condition.event.product.name.eq", "name is a string")]
    [InlineData("""{"event": {"types": ["view"], "product": {"product_id": {"in": ["a", 1]}}}}""", "condition.event.product.product_id.in", "product_id is a string")]
    [InlineData("""{"event": {"types": ["view"], "product": {"product_id": {"gt": 10}}}}""", "condition.event.product.product_id.gt", "product_id is a string")]
    // Windows.
    [InlineData("""{"event": {"types": ["view"], "within": "7 days"}}""", "condition.event.within", "ISO-8601 duration")]
    [InlineData("""{"event": {"types": ["view"], "within": "P"}}""", "condition.event.within", "ISO-8601 duration")]
    [InlineData("""{"event": {"types": ["view"], "within": "-P1D"}}""", "condition.event.within", "ISO-8601 duration")]
    [InlineData("""{"event": {"types": ["view"], "within": true}}""", "condition.event.within", "ISO-8601 duration")]
    [InlineData("""{"event": {"types": ["view"], "within": "P1M"}}""", "condition.event.within", "years and months are not allowed")]
    [InlineData("""{"event": {"types": ["view"], "within": "P1Y"}}""", "condition.event.within", "years and months are not allowed")]
    [InlineData("""{"event": {"types": ["view"], "within": "PT0S"}}""", "condition.event.within", "longer than zero")]
    [InlineData("""{"event": {"types": ["view"], "within": 0}}""", "condition.event.within", "longer than zero")]
    [InlineData("""{"event": {"types": ["view"], "within": -60}}""", "condition.event.within", "longer than zero")]
    [InlineData("""{"event": {"types": ["view"], "within": "P3651D"}}""", "condition.event.within", "at most 3650 days")]
    [InlineData("""{"event": {"types": ["view"], "within": 315360001}}""", "condition.event.within", "at most 3650 days")]
    [InlineData("""{"event": {"types": ["view"], "within": 1e300}}""", "condition.event.within", "at most 3650 days")]
    [InlineData("""{"event": {"types": ["view"], "within": "P7D", "since": "2026-01-01"}}""", "condition.event.within", "cannot be combined with since or until")]
    [InlineData("""{"event": {"types": ["view"], "until": "2026-01-01", "within": "P7D"}}""", "condition.event.within", "cannot be combined with since or until")]
    [InlineData("""{"event": {"types": ["view"], "since": "yesterday"}}""", "condition.event.since", "ISO-8601 date-time")]
    [InlineData("""{"event": {"types": ["view"], "since": "2026-13-01"}}""", "condition.event.since", "ISO-8601 date-time")]
    [InlineData("""{"event": {"types": ["view"], "since": "01/02/2026"}}""", "condition.event.since", "ISO-8601 date-time")]
    [InlineData("""{"event": {"types": ["view"], "since": 1767225600}}""", "condition.event.since", "ISO-8601 date-time")]
    [InlineData("""{"event": {"types": ["view"], "until": "2026-01-01T25:00:00Z"}}""", "condition.event.until", "ISO-8601 date-time")]
    [InlineData("""{"event": {"types": ["view"], "since": "2026-02-01", "until": "2026-01-01"}}""", "condition.event.until", "later than since")]
    [InlineData("""{"event": {"types": ["view"], "since": "2026-01-01T02:00:00+02:00", "until": "2026-01-01T00:00:00Z"}}""", "condition.event.until", "later than since")]
    // Counts.
    [InlineData("""{"event": {"types": ["view"], "count": 2}}""", "condition.event.count", "gte, lte or eq")]
    [InlineData("""{"event": {"types": ["view"], "count": {}}}""", "condition.event.count", "gte, lte or eq")]
    [InlineData("""{"event": {"types": ["view"], "count": {"gt": 1}}}""", "condition.event.count.gt", "unknown key; allowed: gte, lte, eq")]
    [InlineData("""{"not": {"event": {"types": ["view"], "count": {"gte": -1}}}}""", "condition.not.event.count.gte", "non-negative integer")]
    [InlineData("""{"event": {"types": ["view"], "count": {"gte": 1.5}}}""", "condition.event.count.gte", "non-negative integer")]
    [InlineData("""{"event": {"types": ["view"], "count": {"lte": "3"}}}""", "condition.event.count.lte", "non-negative integer")]
    [InlineData("""{"event": {"types": ["view"], "count": {"eq": null}}}""", "condition.event.count.eq", "non-negative integer")]
    [InlineData("""{"event": {"types": ["view"], "count": {"eq": 1, "gte": 1}}}""", "condition.event.count.eq", "cannot be combined")]
    [InlineData("""{"event": {"types": ["view"], "count": {"lte": 4, "eq": 2}}}""", "condition.event.count.eq", "cannot be combined")]
    [InlineData("""{"event": {"types": ["view"], "count": {"gte": 5, "lte": 2}}}""", "condition.event.count.lte", "must not be less than gte")]
    // not_followed_by.
    [InlineData("""{"event": {"types": ["add to cart"], "not_followed_by": ["purchase"]}}""", "condition.event.not_followed_by", "must be an object")]
    [InlineData("""{"event": {"types": ["add to cart"], "not_followed_by": {}}}""", "condition.event.not_followed_by.types", "is required")]
    [InlineData("""{"event": {"types": ["add to cart"], "not_followed_by": {"within": "PT3H"}}}""", "condition.event.not_followed_by.types", "is required")]
    [InlineData("""{"event": {"types": ["add to cart"], "not_followed_by": {"types": []}}}""", "condition.event.not_followed_by.types", "non-empty array")]
    [InlineData("""{"event": {"types": ["add to cart"], "not_followed_by": {"types": ["buy"]}}}""", "condition.event.not_followed_by.types[0]", "is not an event type")]
    [InlineData("""{"event": {"types": ["add to cart"], "not_followed_by": {"types": ["purchase"], "within": "P1M"}}}""", "condition.event.not_followed_by.within", "years and months")]
    [InlineData("""{"event": {"types": ["add to cart"], "not_followed_by": {"types": ["purchase"], "within": 0}}}""", "condition.event.not_followed_by.within", "longer than zero")]
    [InlineData("""{"event": {"types": ["add to cart"], "not_followed_by": {"types": ["purchase"], "after": "PT1H"}}}""", "condition.event.not_followed_by.after", "unknown key; not_followed_by allows: types, within")]
    public void AnInvalidDefinitionNamesTheOffendingPath(string json, string path, string message)
    {
        var error = Assert.Single(Errors(json));

        Assert.Equal(path, error.Path);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TooManyInValuesAreRefused()
    {
        var values = string.Join(", ", Enumerable.Range(1, SegmentLimits.MaxInValues + 1));

        var error = Assert.Single(Errors("""{"event": {"types": ["view"], "product": {"size": {"in": [""" + values + "]}}}}"));

        Assert.Equal("condition.event.product.size.in", error.Path);
        Assert.Contains("at most 100", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AHundredInValuesAreAllowed()
    {
        var values = string.Join(", ", Enumerable.Range(1, SegmentLimits.MaxInValues));

        var condition = Assert.IsType<EventCondition>(Parse("""{"event": {"types": ["view"], "product": {"size": {"in": [""" + values + "]}}}}"));

        Assert.Equal(100, Assert.Single(condition.Product).Values.Count);
    }

    [Fact]
    public void AnUndefinedElementIsAnError()
    {
        Assert.Null(SegmentConditionParser.Parse(default, out var errors));

        Assert.Equal("condition", Assert.Single(errors).Path);
    }

    [Fact]
    public void LimitsAreThePublishedOnes()
    {
        Assert.Equal((50, 10, 50, 100, 3650), (SegmentLimits.MaxItems, SegmentLimits.MaxDepth, SegmentLimits.MaxEventNodes, SegmentLimits.MaxInValues, SegmentLimits.MaxWithinDays));
    }

    /// <summary><paramref name="nots"/> not-nodes around an event node: the event node is at level nots + 1.</summary>
    private static string Nested(int nots) =>
        string.Concat(Enumerable.Repeat("""{"not": """, nots)) + """{"event": {"types": ["view"]}}""" + new string('}', nots);
}
