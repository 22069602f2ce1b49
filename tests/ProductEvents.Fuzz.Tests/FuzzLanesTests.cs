using System.Collections.Concurrent;
using ProductEvents.Fuzz.Tests.Support;

namespace ProductEvents.Fuzz.Tests;

[Trait("Category", "Unit")]
[Trait("Category", "Fuzz")]
public sealed class FuzzLanesTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(8)]
    public async Task EveryCaseRunsOnceOnLaneIndexModLanesAndIsRecordedInOrder(int lanes)
    {
        var generated = 0;
        var ranOn = new ConcurrentDictionary<int, int>();
        var recorded = new List<int>();
        await FuzzLanes.RunAsync(100, lanes, () => generated++,
            async (lane, n) =>
            {
                Assert.True(ranOn.TryAdd(n, lane));
                await Task.Delay(n % 7);
                return n * 2;
            },
            (i, n, result) =>
            {
                Assert.Equal(i, n);
                Assert.Equal(n * 2, result);
                recorded.Add(i);
                return true;
            });

        Assert.Equal(Enumerable.Range(0, 100), recorded);
        Assert.All(ranOn, pair => Assert.Equal(pair.Key % lanes, pair.Value));
    }

    [Fact]
    public async Task NothingAfterTheCaseThatStopsTheRunIsRecorded()
    {
        var recorded = new List<int>();
        var generated = 0;
        await FuzzLanes.RunAsync(1_000, 4, () => generated++, (_, n) => Task.FromResult(n), (i, _, _) =>
        {
            recorded.Add(i);
            return i != 17;
        });

        Assert.Equal(Enumerable.Range(0, 18), recorded);
        Assert.True(generated < 1_000);
    }
}
