namespace ProductEvents.Api.Tests.Segments;

[CollectionDefinition(Name)]
public sealed class SegmentHostCollection : ICollectionFixture<SegmentHostFixture>
{
    public const string Name = "segment host";
}
