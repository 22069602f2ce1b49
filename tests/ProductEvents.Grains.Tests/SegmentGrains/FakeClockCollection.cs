namespace ProductEvents.Grains.Tests.SegmentGrains;

[CollectionDefinition(Name)]
public sealed class FakeClockCollection : ICollectionFixture<FakeClockCluster>
{
    public const string Name = "fake-clock cluster";
}
